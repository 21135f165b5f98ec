package com.shopcrm.scoring.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularMatrixException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

/**
 * Minimises a smooth negative log-likelihood over a box of unconstrained (log-) parameters: from
 * each start BOBYQA (Powell's bounded quadratic-model method) runs to a tight trust radius; the
 * best of all starts is then polished by a BOBYQA restart with a small trust region (a restart
 * rebuilds the quadratic model, which guards against a stale model stopping early). Then a finite-difference
 * Hessian at the optimum gives standard errors of the (log-) parameters.
 */
final class MultiStartMinimizer {

  /** The outcome: the best point, its objective value, and diagnostics. */
  record Result(double[] point, double value, double[] standardErrors, int evaluations, boolean onBoundary,
      List<Double> valuesByStart) {
  }

  private static final double PENALTY = 1e100;

  private final double[] lower;
  private final double[] upper;

  MultiStartMinimizer(double[] lower, double[] upper) {
    this.lower = lower.clone();
    this.upper = upper.clone();
  }

  /**
   * @param objective the objective to minimise (scaled per observation, so values are O(1))
   * @param scale the factor that turns the objective into the total negative log-likelihood, for
   *     the Hessian
   */
  Result minimize(ToDoubleFunction<double[]> objective, double scale, List<double[]> starts) {
    return minimize(objective, scale, starts, 0.5);
  }

  /**
   * @param initialRadius BOBYQA's initial trust-region radius (in log-parameter units): 0.5 from
   *     rough starts, smaller from a start known to be close
   */
  Result minimize(ToDoubleFunction<double[]> objective, double scale, List<double[]> starts, double initialRadius) {
    return minimize(objective, scale, starts, initialRadius, true);
  }

  /**
   * @param standardErrors whether to compute the standard errors (a finite-difference Hessian: 2n² + 1
   *     more evaluations; a scoring run does not report them, so it skips them)
   */
  Result minimize(ToDoubleFunction<double[]> objective, double scale, List<double[]> starts, double initialRadius,
      boolean standardErrors) {
    return minimize(objective, scale, starts, initialRadius, standardErrors, true);
  }

  /**
   * @param polish whether to polish the best point by a BOBYQA restart; not needed when the single
   *     start is already the optimum of a subsample (BOBYQA builds its quadratic model afresh there),
   *     and then the search also stops at a trust radius of 1e-7 rather than 1e-9 (in log-parameter
   *     units: parameters to about 7 significant digits, on data whose sampling error is far larger)
   */
  Result minimize(ToDoubleFunction<double[]> objective, double scale, List<double[]> starts, double initialRadius,
      boolean standardErrors, boolean polish) {
    int n = lower.length;
    int[] evaluations = {0};
    ToDoubleFunction<double[]> guarded = p -> {
      evaluations[0]++;
      for (int i = 0; i < n; i++) {
        if (!(p[i] >= lower[i] && p[i] <= upper[i])) {
          return PENALTY;
        }
      }
      double v = objective.applyAsDouble(p);
      return Double.isFinite(v) ? v : PENALTY;
    };
    PointValuePair best = null;
    List<Double> values = new ArrayList<>();
    for (double[] start : starts) {
      double[] x0 = clampInside(start);
      PointValuePair candidate;
      try {
        candidate = new BOBYQAOptimizer(2 * n + 1, initialRadius, polish ? 1e-9 : 1e-7).optimize(
            new MaxEval(20_000),
            new ObjectiveFunction(guarded::applyAsDouble),
            GoalType.MINIMIZE,
            new InitialGuess(x0),
            new SimpleBounds(lower, upper));
      } catch (TooManyEvaluationsException e) {
        candidate = new PointValuePair(x0, guarded.applyAsDouble(x0));
      }
      values.add(candidate.getValue());
      if (best == null || candidate.getValue() < best.getValue()) {
        best = candidate;
      }
    }
    if (polish) {
      best = polish(guarded, best);
    }
    double[] point = best.getPoint();
    boolean onBoundary = false;
    for (int i = 0; i < n; i++) {
      onBoundary |= point[i] - lower[i] < 1e-3 || upper[i] - point[i] < 1e-3;
    }
    double[] se = new double[n];
    Arrays.fill(se, Double.NaN);
    if (standardErrors && !onBoundary) {
      se = standardErrors(p -> scale * guarded.applyAsDouble(p), point);
    }
    return new Result(point, best.getValue(), se, evaluations[0], onBoundary, values);
  }

  /** A BOBYQA restart from the best point with a small trust region, kept if it improves. */
  private PointValuePair polish(ToDoubleFunction<double[]> f, PointValuePair from) {
    try {
      PointValuePair next = new BOBYQAOptimizer(2 * lower.length + 1, 0.05, 1e-10).optimize(
          new MaxEval(5_000),
          new ObjectiveFunction(f::applyAsDouble),
          GoalType.MINIMIZE,
          new InitialGuess(clampInside(from.getPoint())),
          new SimpleBounds(lower, upper));
      return next.getValue() < from.getValue() ? next : from;
    } catch (TooManyEvaluationsException e) {
      return from;
    }
  }

  private double[] clampInside(double[] start) {
    double[] x = start.clone();
    for (int i = 0; i < x.length; i++) {
      double margin = 1e-6 * (upper[i] - lower[i]);
      x[i] = Math.min(upper[i] - margin, Math.max(lower[i] + margin, x[i]));
    }
    return x;
  }

  /** Square roots of the diagonal of the inverse observed information; NaN where not defined. */
  private static double[] standardErrors(ToDoubleFunction<double[]> totalNll, double[] at) {
    int n = at.length;
    double h = 1e-4;
    double[][] hessian = new double[n][n];
    double f0 = totalNll.applyAsDouble(at);
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double v;
        if (i == j) {
          v = (shifted(totalNll, at, i, h, j, 0) - 2 * f0 + shifted(totalNll, at, i, -h, j, 0)) / (h * h);
        } else {
          v = (shifted(totalNll, at, i, h, j, h) - shifted(totalNll, at, i, h, j, -h)
              - shifted(totalNll, at, i, -h, j, h) + shifted(totalNll, at, i, -h, j, -h)) / (4 * h * h);
        }
        hessian[i][j] = v;
        hessian[j][i] = v;
      }
    }
    double[] se = new double[n];
    Arrays.fill(se, Double.NaN);
    try {
      RealMatrix inverse = new LUDecomposition(new Array2DRowRealMatrix(hessian, false)).getSolver().getInverse();
      for (int i = 0; i < n; i++) {
        double variance = inverse.getEntry(i, i);
        if (variance > 0 && Double.isFinite(variance)) {
          se[i] = Math.sqrt(variance);
        }
      }
    } catch (SingularMatrixException e) {
      // leave NaN: the likelihood is flat in some direction (e.g. on the Gamma-Gamma ridge)
    }
    return se;
  }

  private static double shifted(ToDoubleFunction<double[]> f, double[] at, int i, double di, int j, double dj) {
    double[] p = at.clone();
    p[i] += di;
    p[j] += dj;
    return f.applyAsDouble(p);
  }
}
