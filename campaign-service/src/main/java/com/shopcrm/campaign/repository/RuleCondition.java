package com.shopcrm.campaign.repository;

import java.util.List;

/**
 * A compiled segment rule, ready to be placed in a query over {@code audience_profile p}: appends
 * its parameters to the query's argument list and returns the SQL condition naming them.
 */
@FunctionalInterface
public interface RuleCondition {
  String appendTo(List<Object> args);
}
