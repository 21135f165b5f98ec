package com.shopcrm.order.service.imports;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Province and city out of a Chinese delivery address as platform exports write it
 * ({@code 浙江省 杭州市 西湖区 文三路 1 号}, {@code 江苏省南京市玄武区...}, or just {@code 上海} /
 * {@code 内蒙古自治区}). The four municipalities are written {@code 上海市} for both.
 */
public final class ChineseAddress {

  private static final Pattern PROVINCE = Pattern.compile(
      "^(?<m>北京|上海|天津|重庆)市?|^(?<p>内蒙古自治区|广西壮族自治区|西藏自治区|宁夏回族自治区|新疆维吾尔自治区"
          + "|香港特别行政区|澳门特别行政区|台湾省?|[\\p{IsHan}]{2,3}省)");
  private static final Pattern CITY = Pattern.compile("^\\s*(?<c>[\\p{IsHan}]{1,12}?(市|自治州|地区|盟))");

  /** {province, city}; either may be null. */
  public record Place(String province, String city) {
  }

  private ChineseAddress() {
  }

  public static Place parse(String address) {
    if (address == null || address.isBlank()) {
      return new Place(null, null);
    }
    String s = address.strip();
    Matcher p = PROVINCE.matcher(s);
    if (!p.find()) {
      return new Place(null, null);
    }
    if (p.group("m") != null) {
      String municipality = p.group("m") + "市";
      return new Place(municipality, municipality);
    }
    String province = p.group("p");
    Matcher c = CITY.matcher(s.substring(p.end()));
    return new Place(province, c.find() ? c.group("c") : null);
  }
}
