package com.shopcrm.campaign.service;

import com.shopcrm.campaign.model.CampaignInput;
import com.shopcrm.campaign.model.CampaignInput.Message;
import com.shopcrm.campaign.model.CampaignInput.Offer;
import com.shopcrm.campaign.model.CampaignInput.Product;
import com.shopcrm.campaign.model.CampaignInput.Schedule;
import com.shopcrm.campaign.model.CampaignInput.Tier;
import com.shopcrm.campaign.model.CampaignInput.Variant;
import com.shopcrm.common.json.JsonNames;
import com.shopcrm.common.problem.Problem.FieldError;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Every error of a campaign definition, each with its place (e.g. {@code variants[1].message.sms}). */
public final class CampaignRules {

  public static final Set<String> CHANNELS = Set.of("sms", "email", "app");
  public static final String CONTROL = "control";
  /** Template variables of a {@code new_product} offer, filled when the message is sent. */
  public static final String PRODUCT = "{product}";
  public static final String PRODUCTS = "{products}";

  private CampaignRules() {
  }

  public static List<FieldError> check(Validator validator, CampaignInput in) {
    List<FieldError> errors = new ArrayList<>();
    for (ConstraintViolation<CampaignInput> v : validator.validate(in)) {
      String path = v.getPropertyPath().toString().replaceAll("\\.<[a-z ]+>", "");
      errors.add(new FieldError(JsonNames.snake(path), v.getMessage()));
    }
    Set<String> seen = channels(errors, in.channels());
    if (in.variants() != null) {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < in.variants().size(); i++) {
        Variant v = in.variants().get(i);
        if (v == null) {
          continue;
        }
        String at = "variants[" + i + "]";
        if (v.name() != null && (CONTROL.equalsIgnoreCase(v.name().trim()) || !names.add(v.name()))) {
          errors.add(new FieldError(at + ".name", CONTROL.equalsIgnoreCase(v.name().trim())
              ? "'control' is the hold-out group's name" : "two variants have this name"));
        }
        message(errors, v.message(), seen, at + ".message");
      }
    }
    if (in.offer() != null) {
      offer(errors, in.offer());
    }
    if (in.costPerMessage() != null) {
      in.costPerMessage().forEach((channel, cost) -> {
        if (!CHANNELS.contains(channel)) {
          errors.add(new FieldError("cost_per_message." + channel, "not a channel (sms, email, app)"));
        } else if (cost == null || cost.signum() < 0) {
          errors.add(new FieldError("cost_per_message." + channel, "must be 0 or more"));
        }
      });
    }
    if (in.schedule() != null) {
      schedule(errors, in.schedule());
    }
    if (in.offer() != null && "new_product".equals(in.offer().type()) && in.variants() != null) {
      for (int i = 0; i < in.variants().size(); i++) {
        Variant v = in.variants().get(i);
        if (v != null && v.message() != null && !namesAProduct(v.message())) {
          errors.add(new FieldError("variants[" + i + "].message",
              "a new_product offer needs {product} or {products} in the message"));
        }
      }
    }
    errors.sort(Comparator.comparing(FieldError::field));
    return errors;
  }

  /** {@code at} for {@code at}; {@code every} (and the rest only) for {@code recurring}. */
  static void schedule(List<FieldError> errors, Schedule s) {
    if ("at".equals(s.type()) && s.at() == null) {
      errors.add(new FieldError("schedule.at", "required when type is at"));
    }
    if (s.recurring()) {
      try {
        RunCalendar.parse(s.every());
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError("schedule.every", e.getMessage()));
      }
      if (s.at() != null && s.until() != null && !s.until().isAfter(s.at())) {
        errors.add(new FieldError("schedule.until", "must be after at"));
      }
    } else if (s.every() != null || s.until() != null || s.maxRuns() != null || s.newMembersOnly() != null) {
      errors.add(new FieldError("schedule.type", "every, until, max_runs and new_members_only need type recurring"));
    }
  }

  private static boolean namesAProduct(Message m) {
    for (String text : new String[] {m.sms(), m.emailSubject(), m.emailBody(), m.app()}) {
      if (text != null && (text.contains(PRODUCT) || text.contains(PRODUCTS))) {
        return true;
      }
    }
    return false;
  }

  /** The chosen channels without repeats; unknown or repeated ones become errors ({@code channels[i]}). */
  static Set<String> channels(List<FieldError> errors, List<String> channels) {
    Set<String> seen = new HashSet<>();
    List<String> list = channels == null ? List.of() : channels;
    for (int i = 0; i < list.size(); i++) {
      String c = list.get(i);
      if (c == null || !CHANNELS.contains(c)) {
        errors.add(new FieldError("channels[" + i + "]", "must be one of sms, email, app"));
      } else if (!seen.add(c)) {
        errors.add(new FieldError("channels[" + i + "]", "listed twice"));
      }
    }
    return seen;
  }

  /** A template for every chosen channel ({@code at.sms}, {@code at.email_subject}, ...). */
  static void message(List<FieldError> errors, Message m, Set<String> channels, String at) {
    if (m == null) {
      return;
    }
    for (String c : channels) {
      switch (c) {
        case "sms" -> blank(errors, m.sms(), at + ".sms", "sms");
        case "email" -> {
          blank(errors, m.emailSubject(), at + ".email_subject", "email");
          blank(errors, m.emailBody(), at + ".email_body", "email");
        }
        default -> blank(errors, m.app(), at + ".app", "app");
      }
    }
  }

  /** The offer's shape (same model for campaigns and triggers). */
  static void offer(List<FieldError> errors, Offer o) {
    if ("coupon".equals(o.type())) {
      if ((o.amount() == null) == (o.discount() == null)) {
        errors.add(new FieldError("offer.amount", "a coupon has either amount or discount"));
      }
      if (o.amount() != null && o.minSpend() != null && o.minSpend().signum() > 0
          && o.amount().compareTo(o.minSpend()) >= 0) {
        errors.add(new FieldError("offer.amount", "must be below min_spend"));
      }
    } else if ("full_reduction".equals(o.type())) {
      if (o.tiers() == null || o.tiers().isEmpty()) {
        errors.add(new FieldError("offer.tiers", "full_reduction needs at least one tier"));
      } else {
        BigDecimal previous = BigDecimal.ZERO;
        for (int i = 0; i < o.tiers().size(); i++) {
          Tier t = o.tiers().get(i);
          if (t == null || t.minSpend() == null || t.amount() == null) {
            continue;
          }
          if (t.amount().compareTo(t.minSpend()) >= 0) {
            errors.add(new FieldError("offer.tiers[" + i + "].amount", "must be below min_spend"));
          }
          if (t.minSpend().compareTo(previous) <= 0) {
            errors.add(new FieldError("offer.tiers[" + i + "].min_spend", "tiers go up in min_spend"));
          }
          previous = t.minSpend();
        }
      }
    } else if ("new_product".equals(o.type())) {
      if (o.products() == null || o.products().isEmpty()) {
        errors.add(new FieldError("offer.products", "new_product needs at least one product"));
      } else {
        Set<String> skus = new HashSet<>();
        for (int i = 0; i < o.products().size(); i++) {
          Product p = o.products().get(i);
          if (p != null && p.sku() != null && !skus.add(p.sku())) {
            errors.add(new FieldError("offer.products[" + i + "].sku", "listed twice"));
          }
        }
      }
    } else if ("flash_sale".equals(o.type())) {
      if (o.discount() == null) {
        errors.add(new FieldError("offer.discount", "a flash sale needs a discount"));
      }
      if (o.startsAt() != null && o.endsAt() != null && !o.endsAt().isAfter(o.startsAt())) {
        errors.add(new FieldError("offer.ends_at", "must be after starts_at"));
      }
    }
  }

  private static void blank(List<FieldError> errors, String text, String field, String channel) {
    if (text == null || text.isBlank()) {
      errors.add(new FieldError(field, "required for channel " + channel));
    }
  }
}
