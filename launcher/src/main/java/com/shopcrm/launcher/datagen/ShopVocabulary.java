package com.shopcrm.launcher.datagen;

import java.util.List;

/** The words a generated shop is made of: Chinese names, regions, product categories. */
final class ShopVocabulary {

  private ShopVocabulary() {
  }

  /** The most common surnames, most common first (their draw is skewed towards the front). */
  static final String[] SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
      + "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").split("");

  /** Characters of given names (one or two of them). */
  static final String[] GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩然子轩梓涵欣怡"
      + "雨婷思远佳琪嘉豪晨阳诗涵一鸣文博俊杰晓东海燕春梅志强建国立新慧敏丹丹婷婷晶晶欢乐雪琳凯瑞晗睿").split("");

  /** A province with its cities and a weight (roughly online buyers). */
  record Region(String province, List<String> cities, int weight) {
  }

  static final List<Region> REGIONS = List.of(
      new Region("广东", List.of("广州", "深圳", "东莞", "佛山", "珠海"), 14),
      new Region("浙江", List.of("杭州", "宁波", "温州", "金华", "绍兴"), 10),
      new Region("江苏", List.of("南京", "苏州", "无锡", "常州", "南通"), 10),
      new Region("上海", List.of("上海"), 7),
      new Region("北京", List.of("北京"), 6),
      new Region("山东", List.of("济南", "青岛", "烟台", "潍坊"), 7),
      new Region("福建", List.of("福州", "厦门", "泉州"), 5),
      new Region("四川", List.of("成都", "绵阳", "德阳"), 5),
      new Region("河南", List.of("郑州", "洛阳", "南阳"), 5),
      new Region("湖北", List.of("武汉", "宜昌", "襄阳"), 4),
      new Region("湖南", List.of("长沙", "株洲", "岳阳"), 4),
      new Region("河北", List.of("石家庄", "保定", "唐山"), 4),
      new Region("安徽", List.of("合肥", "芜湖"), 3),
      new Region("陕西", List.of("西安", "咸阳"), 3),
      new Region("天津", List.of("天津"), 2),
      new Region("重庆", List.of("重庆"), 3),
      new Region("辽宁", List.of("沈阳", "大连"), 3),
      new Region("云南", List.of("昆明", "大理"), 2),
      new Region("新疆", List.of("乌鲁木齐"), 1));

  /** A product category: name parts and a list-price range in CNY. */
  record Category(String name, String code, String[] adjectives, String[] nouns, double minPrice, double maxPrice) {
  }

  static final List<Category> CATEGORIES = List.of(
      new Category("服饰", "AP", new String[] {"纯棉", "修身", "宽松", "加厚", "冰丝", "复古"},
          new String[] {"T恤", "卫衣", "牛仔裤", "连衣裙", "羽绒服", "衬衫", "运动裤"}, 39, 699),
      new Category("美妆", "BE", new String[] {"保湿", "控油", "温和", "修护", "持久", "清爽"},
          new String[] {"面霜", "精华液", "口红", "洁面乳", "防晒霜", "面膜"}, 29, 899),
      new Category("食品", "FD", new String[] {"有机", "原味", "低糖", "手工", "进口", "坚果"},
          new String[] {"礼盒", "茶叶", "零食大礼包", "咖啡豆", "蜂蜜", "燕麦片"}, 9.9, 299),
      new Category("家居", "HM", new String[] {"北欧", "简约", "加大", "折叠", "静音", "实木"},
          new String[] {"收纳箱", "四件套", "抱枕", "台灯", "置物架", "保温杯"}, 19, 599),
      new Category("数码", "DG", new String[] {"无线", "快充", "降噪", "便携", "高清", "智能"},
          new String[] {"蓝牙耳机", "充电宝", "数据线", "手机壳", "智能手表", "键盘"}, 15, 1999),
      new Category("母婴", "MB", new String[] {"婴儿", "宝宝", "防胀气", "天然", "柔软", "安全"},
          new String[] {"纸尿裤", "奶瓶", "湿巾", "辅食", "连体衣", "推车"}, 19, 1299));

  /** Mobile prefixes 13x–19x as carriers hand them out. */
  static final String[] PHONE_PREFIXES = {"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151",
      "152", "155", "156", "157", "158", "159", "166", "170", "176", "177", "178", "180", "181", "182", "183", "185",
      "186", "187", "188", "189", "191", "198", "199"};

  static final String[] MAIL_DOMAINS = {"qq.com", "163.com", "126.com", "sina.com", "gmail.com", "outlook.com"};

  /** Tags with the share of customers carrying them. */
  static final String[][] TAGS = {{"vip", "0.05"}, {"student", "0.08"}, {"gift_buyer", "0.06"},
      {"night_owl", "0.10"}, {"price_sensitive", "0.15"}, {"complainer", "0.003"}};

  static final String[] REVIEW_TEXTS = {"质量很好，物流很快", "和描述一致，满意", "包装精美，送人很合适", "性价比高，会回购",
      "一般般吧", "颜色有点色差", "客服态度很好", "物流太慢了"};
}
