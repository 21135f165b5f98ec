package com.shopcrm.campaign.channel;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** campaign-service with the SMTP e-mail and HTTP SMS adapters, pointed at {@link ExternalChannelStubs}. */
public class ExternalChannelsProfile implements QuarkusTestProfile {

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(ExternalChannelStubs.class));
  }
}
