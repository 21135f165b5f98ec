package com.shopcrm.scoring.model;

/**
 * The 11-group RFM scheme, assigned from the R and F scores (1-5) by the widely published R x F
 * grid (the segment map of the "RFM segmentation" articles and their Python regex table
 * {@code [1-2][1-2]} hibernating, {@code [1-2][3-4]} at risk, {@code [1-2]5} can't lose,
 * {@code 3[1-2]} about to sleep, {@code 33} need attention, {@code [3-4][4-5]} loyal, {@code 41}
 * promising, {@code 51} new, {@code [4-5][2-3]} potential loyalist, {@code 5[4-5]} champions), with
 * its hibernating corner split so that R = 1 is {@code lost}:
 *
 * <pre>
 *          F=1            F=2            F=3              F=4        F=5
 *   R=5    new            potential      potential        champions  champions
 *   R=4    promising      potential      potential        loyal      loyal
 *   R=3    about_to_sleep about_to_sleep need_attention   loyal      loyal
 *   R=2    hibernating    hibernating    at_risk          at_risk    cant_lose
 *   R=1    lost           lost           at_risk          at_risk    cant_lose
 * </pre>
 */
public enum RfmGroup {
  CHAMPIONS("champions", "冠军客户", "Champions"),
  LOYAL("loyal", "忠诚客户", "Loyal"),
  POTENTIAL_LOYALIST("potential_loyalist", "潜在忠诚客户", "Potential loyalist"),
  NEW("new", "新客户", "New"),
  PROMISING("promising", "有潜力客户", "Promising"),
  NEED_ATTENTION("need_attention", "需要关注客户", "Need attention"),
  ABOUT_TO_SLEEP("about_to_sleep", "即将沉睡客户", "About to sleep"),
  AT_RISK("at_risk", "流失风险客户", "At risk"),
  CANT_LOSE("cant_lose", "不能失去的客户", "Can't lose them"),
  HIBERNATING("hibernating", "沉睡客户", "Hibernating"),
  LOST("lost", "已流失客户", "Lost");

  private final String id;
  private final String labelZh;
  private final String labelEn;

  RfmGroup(String id, String labelZh, String labelEn) {
    this.id = id;
    this.labelZh = labelZh;
    this.labelEn = labelEn;
  }

  public String id() {
    return id;
  }

  public String labelZh() {
    return labelZh;
  }

  public String labelEn() {
    return labelEn;
  }

  /** The group of an R score and an F score, each 1-5, by the grid above. */
  public static RfmGroup of(int r, int f) {
    if (r < 1 || r > 5 || f < 1 || f > 5) {
      throw new IllegalArgumentException("scores must be 1-5, got r=" + r + ", f=" + f);
    }
    return switch (r) {
      case 5 -> f == 1 ? NEW : f <= 3 ? POTENTIAL_LOYALIST : CHAMPIONS;
      case 4 -> f == 1 ? PROMISING : f <= 3 ? POTENTIAL_LOYALIST : LOYAL;
      case 3 -> f <= 2 ? ABOUT_TO_SLEEP : f == 3 ? NEED_ATTENTION : LOYAL;
      case 2 -> f <= 2 ? HIBERNATING : f <= 4 ? AT_RISK : CANT_LOSE;
      default -> f <= 2 ? LOST : f <= 4 ? AT_RISK : CANT_LOSE;
    };
  }
}
