package com.shopcrm.customer.service;

import com.shopcrm.common.problem.Problem;
import com.shopcrm.common.problem.ProblemException;

/**
 * The customer was folded into another profile: answered {@code 410 Gone} with {@code merged_into}
 * and a {@code Location} header pointing at the survivor (see {@code CustomerMergedMapper}).
 */
public class CustomerMergedException extends ProblemException {

  private final long id;
  private final long mergedInto;

  public CustomerMergedException(long id, long mergedInto) {
    super(Problem.of(410, "Customer merged", "customer " + id + " was merged into customer " + mergedInto));
    this.id = id;
    this.mergedInto = mergedInto;
  }

  public long id() {
    return id;
  }

  public long mergedInto() {
    return mergedInto;
  }
}
