package com.shopcrm.campaign.model;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/** One row of the audience read model, as a segment preview shows it (it holds no phone or e-mail). */
public record AudienceProfileView(long customerId, String externalId, String name, String gender, LocalDate birthday,
    String province, String city, String platform, String ageBand, OffsetDateTime createdAt, List<String> tags,
    Boolean consentSms, Boolean consentEmail, Boolean consentApp, Long pointsBalance, String tier,
    String rfmSegment, String rfm11, String lifecycleStage, BigDecimal pAlive, BigDecimal predictedClv365d,
    Integer frequency, BigDecimal monetary, Integer recencyDays, OffsetDateTime lastOrderAt,
    OffsetDateTime expectedNextOrderAt, OffsetDateTime updatedAt) {
}
