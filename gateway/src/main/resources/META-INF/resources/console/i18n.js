// zh-CN and English labels; the choice is kept in localStorage. t('key', {var}) fills {var} placeholders.
// A key missing in Chinese falls back to English, a key missing in both shows itself.

const en = {
  'brand.sub': 'customers · orders · scores · campaigns',
  'nav.dashboard': 'Dashboard', 'nav.customers': 'Customers', 'nav.segments': 'Segments', 'nav.campaigns': 'Campaigns',
  'nav.imports': 'Import', 'nav.tickets': 'Tickets', 'nav.logout': 'Log out', 'nav.apiDocs': 'API docs',
  'login.subtitle': 'Sign in with your shop\'s API key. It is kept in this browser tab only and sent with every call.',
  'login.key': 'API key', 'login.submit': 'Sign in', 'login.invalid': 'This API key is not valid.',
  'login.forbidden': 'This key cannot read a shop\'s customers (a platform key acts on no shop): use a key of the shop.',
  'login.help': 'Scripts and integrations call the same API with the key as a bearer token:',
  'common.more': 'Load more', 'common.yes': 'yes', 'common.no': 'no', 'common.days': 'days', 'common.time': 'Time',
  'dash.period': 'Period', 'dash.period90': 'Last 90 days', 'dash.period180': 'Last 180 days', 'dash.period365': 'Last 12 months',
  'dash.revenueTrend': 'Revenue trend', 'dash.rfm': 'RFM segments: customers and revenue share',
  'dash.rfmCustomers': 'Customers', 'dash.rfmRevenueShare': 'Revenue share %', 'dash.lifecycle': 'Lifecycle funnel',
  'dash.clv': 'Predicted 365-day CLV', 'dash.cohorts': 'Cohort retention (monthly, %)', 'dash.monthsSince': 'months since first order',
  'dash.campaigns': 'Recent campaign results', 'dash.noCampaigns': 'No campaign has been launched yet.',
  'kpi.customers': 'Customers', 'kpi.buyers': 'Buyers', 'kpi.revenue': 'Revenue', 'kpi.aov': 'AOV (per buyer)',
  'kpi.repurchase': 'Repurchase rate', 'kpi.churn': 'Churn', 'kpi.retention': 'retention', 'kpi.new': 'new', 'kpi.orders': 'Orders',
  'cust.search': 'Search', 'cust.searchHint': 'Name, phone, e-mail or external id', 'cust.tag': 'Tag', 'cust.province': 'Province',
  'cust.city': 'City', 'cust.anyPlatform': 'Any platform', 'cust.none': 'No customer matches.', 'cust.name': 'Name',
  'cust.externalId': 'External id', 'cust.phone': 'Phone', 'cust.email': 'E-mail', 'cust.region': 'Region', 'cust.platform': 'Platform',
  'cust.tags': 'Tags', 'cust.created': 'Created',
  'c360.profile': 'Profile', 'c360.gender': 'Gender', 'c360.birthday': 'Birthday', 'c360.ageBand': 'Age band', 'c360.identities': 'Identities',
  'c360.scores': 'Scores', 'c360.rfmSegment': 'RFM segment', 'c360.rfmScores': 'R / F / M', 'c360.lifecycle': 'Lifecycle',
  'c360.pAlive': 'P(alive)', 'c360.clv': 'Predicted CLV (365 days)', 'c360.expected90': 'Expected purchases (90 days)',
  'c360.nextOrder': 'Expected next order', 'c360.historical': 'Historical value', 'c360.frequency': 'Repeat purchases',
  'c360.recency': 'Recency', 'c360.asOf': 'Scored as of', 'c360.notScored': 'Not scored yet (no scoring run since the first order).',
  'c360.membership': 'Membership and points', 'c360.tier': 'Tier', 'c360.points': 'Points', 'c360.rollingSpend': 'Rolling spend',
  'c360.nextTier': 'Next tier (spend to go)', 'c360.lifetimeSpend': 'Lifetime spend', 'c360.kind': 'Kind', 'c360.reason': 'Reason',
  'c360.consent': 'Consent', 'c360.consentModel': 'Consent model', 'c360.channel': 'Channel', 'c360.granted': 'Decision',
  'c360.contactable': 'Contactable', 'c360.source': 'Source', 'c360.noDecision': 'no decision',
  'c360.orders': 'Orders', 'c360.orderNo': 'Order no.', 'c360.amount': 'Amount', 'c360.status': 'Status', 'c360.items': 'Items',
  'c360.coupon': 'Coupon', 'c360.noOrders': 'No orders.', 'c360.recommendations': 'Recommended for this customer',
  'c360.noRecommendations': 'No recommendations yet.', 'c360.timeline': 'Timeline', 'c360.noEvents': 'Nothing recorded yet.',
  'c360.order': 'Order', 'c360.ticket': 'Ticket', 'c360.optIn': 'opted in', 'c360.optOut': 'opted out',
  'c360.campaignHistory': 'Campaign history',
  'c360.campaignHistoryNote': 'Not shown yet: the API has no per-customer campaign history (messages are listed per campaign).',
  'seg.builder': 'Rule', 'seg.all': 'All of (AND)', 'seg.any': 'Any of (OR)', 'seg.not': 'None of (NOT)',
  'seg.addCondition': 'condition', 'seg.addGroup': 'group', 'seg.removeGroup': 'remove group', 'seg.remove': 'Remove',
  'seg.matching': 'customers match now', 'seg.sample': 'e.g.', 'seg.name': 'Segment name', 'seg.save': 'Save segment',
  'seg.saved': 'Saved “{name}” (#{id}):', 'seg.members': 'members', 'seg.savedTitle': 'Saved segments', 'seg.count': 'Customers',
  'seg.none': 'No segment saved yet.', 'seg.json': 'Rule as JSON', 'seg.listHint': 'values, comma-separated',
  'seg.betweenHint': 'low, high', 'seg.daysHint': 'days',
  'camp.list': 'Campaigns', 'camp.none': 'No campaign yet.', 'camp.name': 'Name', 'camp.channels': 'Channels', 'camp.variants': 'Variants',
  'camp.controlPct': 'Control group %', 'camp.launchedAt': 'Launched', 'camp.launch': 'Launch', 'camp.new': 'New campaign',
  'camp.segment': 'Segment', 'camp.variantA': 'Message, variant a', 'camp.variantB': 'Message, variant b (empty: no A/B test)',
  'camp.placeholders': '{name} and {coupon} (the coupon code, with a coupon amount below) are filled in per recipient.', 'camp.window': 'Attribution window (days)',
  'camp.coupon': 'Coupon amount (¥, optional)', 'camp.minSpend': 'Minimum spend (¥)', 'camp.smsCost': 'Cost per SMS (¥)',
  'camp.create': 'Create draft', 'camp.created': 'Draft #{id} created; launch it from the list.',
  'camp.defaultMessageA': '{name}, a coupon for you: {coupon}', 'camp.defaultMessageB': '{name}, 10 off your next order: {coupon}',
  'camp.audience': 'Audience', 'camp.kept': 'Contactable', 'camp.recipients': 'Recipients', 'camp.treatedRecipients': 'Recipients (arms)', 'camp.sent': 'Sent',
  'camp.conversions': 'Conversions', 'camp.conversionRate': 'Conversion rate', 'camp.uplift': 'Uplift', 'camp.interval': 'Uplift 95% CI',
  'camp.funnel': 'Funnel', 'camp.perArm': 'Conversion per arm', 'camp.arms': 'Arms', 'camp.arm': 'Arm', 'camp.control': 'Control',
  'camp.treatment': 'Treated', 'camp.suppressed': 'Suppressed', 'camp.byConsent': 'consent', 'camp.byCap': 'frequency cap',
  'camp.byQuiet': 'delayed by quiet hours', 'camp.coupons': 'Coupons issued / redeemed', 'camp.cost': 'cost',
  'camp.noControl': 'No control group: uplift cannot be measured.',
  'camp.significant': 'Arm {arm} beats the control at the 5% level (winner: {winner}).',
  'camp.notSignificant': 'The difference to the control is not significant (p ≥ 0.05).',
  'imp.upload': 'Upload orders', 'imp.file': 'CSV file', 'imp.format': 'Format', 'imp.generic': 'Generic CSV',
  'imp.taobao': 'Taobao seller-center export', 'imp.start': 'Import',
  'imp.help': 'Generic columns: order_no, customer_external_id, ordered_at, total_amount (+ optional status, customer_name, phone, e-mail, items…). UTF-8 or GBK. Re-importing a file imports nothing twice.',
  'imp.job': 'Import job', 'imp.status': 'Status', 'imp.queued': 'queued', 'imp.running': 'running', 'imp.completed': 'completed',
  'imp.failed': 'failed', 'imp.rowsTotal': 'Rows', 'imp.rowsImported': 'Rows imported', 'imp.ordersImported': 'Orders imported',
  'imp.rowsDuplicate': 'Duplicates', 'imp.rowsRejected': 'Rejected', 'imp.errors': 'Rejected rows', 'imp.line': 'Line', 'imp.reason': 'Reason',
  'tickets.anyStatus': 'Any status', 'tickets.anyPriority': 'Any priority', 'tickets.anySla': 'Any SLA state',
  'tickets.breached': 'SLA breached', 'tickets.withinSla': 'Within SLA', 'tickets.none': 'No tickets.', 'tickets.subject': 'Subject',
  'tickets.customer': 'Customer', 'tickets.category': 'Category', 'tickets.priority': 'Priority', 'tickets.assignee': 'Assignee',
  'tickets.due': 'Resolution due',
  'lifecycle.prospect': 'Prospect', 'lifecycle.new': 'New', 'lifecycle.active': 'Active', 'lifecycle.at_risk': 'At risk', 'lifecycle.churned': 'Churned',
  'rfm.important_value': 'Important value', 'rfm.important_development': 'Important development',
  'rfm.important_retention': 'Important retention', 'rfm.important_winback': 'Important win-back', 'rfm.general_value': 'General value',
  'rfm.general_development': 'General development', 'rfm.general_retention': 'General retention', 'rfm.general_winback': 'General win-back',
  'platform.taobao': 'Taobao', 'platform.tmall': 'Tmall', 'platform.jd': 'JD', 'platform.own_site': 'Own site', 'platform.offline': 'Offline',
  'ledger.earn': 'earned', 'ledger.reverse': 'reversed', 'ledger.redeem': 'redeemed', 'ledger.adjust': 'adjusted', 'ledger.expire': 'expired',
  'gender.male': 'male', 'gender.female': 'female', 'gender.unknown': 'unknown',
  'channel.sms': 'SMS', 'channel.email': 'E-mail', 'channel.app': 'In-app',
  'campaignStatus.draft': 'draft', 'campaignStatus.launching': 'launching', 'campaignStatus.launched': 'launched',
  'orderStatus.created': 'created', 'orderStatus.paid': 'paid', 'orderStatus.shipped': 'shipped', 'orderStatus.completed': 'completed',
  'orderStatus.cancelled': 'cancelled', 'orderStatus.refunded': 'refunded', 'orderStatus.partially_refunded': 'partially refunded',
  'ticketStatus.open': 'open', 'ticketStatus.in_progress': 'in progress', 'ticketStatus.waiting_customer': 'waiting for customer',
  'ticketStatus.resolved': 'resolved', 'ticketStatus.closed': 'closed',
  'priority.low': 'low', 'priority.normal': 'normal', 'priority.high': 'high', 'priority.urgent': 'urgent',
  'category.consultation': 'consultation', 'category.logistics': 'logistics', 'category.quality': 'quality', 'category.wrong_item': 'wrong item',
  'category.refund': 'refund', 'category.invoice': 'invoice', 'category.service_complaint': 'service complaint', 'category.other': 'other',
  'event.view': 'Viewed', 'event.favourite': 'Favourited', 'event.cart_add': 'Added to cart', 'event.cart_abandon': 'Abandoned cart',
  'event.consult': 'Consulted', 'event.review': 'Reviewed', 'event.custom': 'Event',
  'op.eq': '=', 'op.neq': '≠', 'op.in': 'is one of', 'op.not_in': 'is none of', 'op.contains': 'contains', 'op.exists': 'is known',
  'op.gt': '>', 'op.gte': '≥', 'op.lt': '<', 'op.lte': '≤', 'op.between': 'between', 'op.within_last': 'within the last (days)',
  'op.before': 'more than (days) ago',
  'field.rfm_segment': 'RFM segment', 'field.rfm11': 'RFM group (11)', 'field.lifecycle_stage': 'Lifecycle stage', 'field.tags': 'Tags',
  'field.predicted_clv_365d': 'Predicted CLV', 'field.p_alive': 'P(alive)', 'field.monetary': 'Monetary', 'field.frequency': 'Frequency',
  'field.recency_days': 'Recency (days)', 'field.points_balance': 'Points', 'field.tier': 'Tier', 'field.name': 'Name',
  'field.external_id': 'External id', 'field.gender': 'Gender', 'field.province': 'Province', 'field.city': 'City',
  'field.platform': 'Platform', 'field.age_band': 'Age band', 'field.birthday': 'Birthday', 'field.created_at': 'Created',
  'field.last_order_at': 'Last order', 'field.expected_next_order_at': 'Expected next order', 'field.consent.sms': 'SMS consent',
  'field.consent.email': 'E-mail consent', 'field.consent.app': 'In-app consent', 'field.event.cart_abandon': 'Event: abandoned cart',
  'field.event.cart_add': 'Event: added to cart', 'field.event.view': 'Event: viewed', 'field.event.favourite': 'Event: favourited',
  'field.event.consult': 'Event: consulted', 'field.event.review': 'Event: reviewed', 'field.segment': 'In segment (ids)',
};

const zh = {
  'brand.sub': '客户 · 订单 · 评分 · 营销',
  'nav.dashboard': '概览', 'nav.customers': '客户', 'nav.segments': '人群', 'nav.campaigns': '营销活动',
  'nav.imports': '导入', 'nav.tickets': '工单', 'nav.logout': '退出', 'nav.apiDocs': 'API 文档',
  'login.subtitle': '使用店铺的 API 密钥登录。密钥只保存在当前浏览器标签页，每次调用都会带上。',
  'login.key': 'API 密钥', 'login.submit': '登录', 'login.invalid': '该 API 密钥无效。',
  'login.forbidden': '该密钥无法读取店铺客户（平台密钥不属于任何店铺），请使用店铺的密钥。',
  'login.help': '脚本和系统集成以同样的方式调用 API，密钥作为 Bearer 令牌：',
  'common.more': '加载更多', 'common.yes': '是', 'common.no': '否', 'common.days': '天', 'common.time': '时间',
  'dash.period': '统计周期', 'dash.period90': '最近 90 天', 'dash.period180': '最近 180 天', 'dash.period365': '最近 12 个月',
  'dash.revenueTrend': '销售额趋势', 'dash.rfm': 'RFM 八类客户：人数与销售额占比', 'dash.rfmCustomers': '客户数',
  'dash.rfmRevenueShare': '销售额占比 %', 'dash.lifecycle': '生命周期漏斗', 'dash.clv': '预测 365 天客户终身价值 (CLV)',
  'dash.cohorts': '同期群留存（按月，%）', 'dash.monthsSince': '首单后月数', 'dash.campaigns': '近期活动效果',
  'dash.noCampaigns': '还没有发布过营销活动。',
  'kpi.customers': '客户数', 'kpi.buyers': '购买客户', 'kpi.revenue': '销售额', 'kpi.aov': '客单价',
  'kpi.repurchase': '复购率', 'kpi.churn': '流失率', 'kpi.retention': '留存', 'kpi.new': '新客', 'kpi.orders': '订单数',
  'cust.search': '搜索', 'cust.searchHint': '姓名、手机号、邮箱或外部 ID', 'cust.tag': '标签', 'cust.province': '省份', 'cust.city': '城市',
  'cust.anyPlatform': '全部平台', 'cust.none': '没有匹配的客户。', 'cust.name': '姓名', 'cust.externalId': '外部 ID', 'cust.phone': '手机号',
  'cust.email': '邮箱', 'cust.region': '地区', 'cust.platform': '平台', 'cust.tags': '标签', 'cust.created': '创建时间',
  'c360.profile': '基本信息', 'c360.gender': '性别', 'c360.birthday': '生日', 'c360.ageBand': '年龄段', 'c360.identities': '身份',
  'c360.scores': '评分', 'c360.rfmSegment': 'RFM 分类', 'c360.rfmScores': 'R / F / M', 'c360.lifecycle': '生命周期',
  'c360.pAlive': '存活概率 P(alive)', 'c360.clv': '预测 CLV（365 天）', 'c360.expected90': '预计购买次数（90 天）',
  'c360.nextOrder': '预计下次下单', 'c360.historical': '历史价值', 'c360.frequency': '复购次数', 'c360.recency': '最近购买',
  'c360.asOf': '评分日期', 'c360.notScored': '尚未评分（首单之后还没有运行评分）。',
  'c360.membership': '会员与积分', 'c360.tier': '会员等级', 'c360.points': '积分', 'c360.rollingSpend': '滚动消费',
  'c360.nextTier': '下一等级（还差消费）', 'c360.lifetimeSpend': '累计消费', 'c360.kind': '类型', 'c360.reason': '原因',
  'c360.consent': '营销许可', 'c360.consentModel': '许可模式', 'c360.channel': '渠道', 'c360.granted': '选择',
  'c360.contactable': '可触达', 'c360.source': '来源', 'c360.noDecision': '未选择',
  'c360.orders': '订单', 'c360.orderNo': '订单号', 'c360.amount': '金额', 'c360.status': '状态', 'c360.items': '商品',
  'c360.coupon': '优惠券', 'c360.noOrders': '没有订单。', 'c360.recommendations': '猜你喜欢',
  'c360.noRecommendations': '暂无推荐。', 'c360.timeline': '时间线', 'c360.noEvents': '暂无记录。',
  'c360.order': '订单', 'c360.ticket': '工单', 'c360.optIn': '同意接收', 'c360.optOut': '退订',
  'c360.campaignHistory': '活动记录', 'c360.campaignHistoryNote': '暂不显示：API 尚无按客户查询的活动记录（消息按活动列出）。',
  'seg.builder': '规则', 'seg.all': '满足全部 (AND)', 'seg.any': '满足任一 (OR)', 'seg.not': '都不满足 (NOT)',
  'seg.addCondition': '条件', 'seg.addGroup': '条件组', 'seg.removeGroup': '删除条件组', 'seg.remove': '删除',
  'seg.matching': '位客户当前符合', 'seg.sample': '例如', 'seg.name': '人群名称', 'seg.save': '保存人群',
  'seg.saved': '已保存“{name}”(#{id})：', 'seg.members': '位成员', 'seg.savedTitle': '已保存的人群', 'seg.count': '客户数',
  'seg.none': '还没有保存的人群。', 'seg.json': '规则 JSON', 'seg.listHint': '多个值用逗号分隔', 'seg.betweenHint': '最小, 最大',
  'seg.daysHint': '天数',
  'camp.list': '营销活动', 'camp.none': '还没有活动。', 'camp.name': '名称', 'camp.channels': '渠道', 'camp.variants': '版本',
  'camp.controlPct': '对照组 %', 'camp.launchedAt': '发布时间', 'camp.launch': '发布', 'camp.new': '新建活动', 'camp.segment': '人群',
  'camp.variantA': '文案（版本 a）', 'camp.variantB': '文案（版本 b，留空则不做 A/B 测试）',
  'camp.placeholders': '{name} 和 {coupon} 会替换为每位收件人的姓名和券码（需填写下方优惠券面额）。', 'camp.window': '归因窗口（天）',
  'camp.coupon': '优惠券面额（¥，可选）', 'camp.minSpend': '使用门槛（¥）', 'camp.smsCost': '每条短信成本（¥）',
  'camp.create': '创建草稿', 'camp.created': '草稿 #{id} 已创建，可在列表中发布。',
  'camp.defaultMessageA': '{name}，送您一张优惠券：{coupon}', 'camp.defaultMessageB': '{name}，下单立减10元：{coupon}',
  'camp.audience': '目标人数', 'camp.kept': '可触达', 'camp.recipients': '收件人', 'camp.treatedRecipients': '实验组收件人', 'camp.sent': '已发送', 'camp.conversions': '转化',
  'camp.conversionRate': '转化率', 'camp.uplift': '提升', 'camp.interval': '提升 95% 置信区间', 'camp.funnel': '转化漏斗',
  'camp.perArm': '各版本转化率', 'camp.arms': '实验组', 'camp.arm': '版本', 'camp.control': '对照组', 'camp.treatment': '实验组',
  'camp.suppressed': '被过滤', 'camp.byConsent': '未许可', 'camp.byCap': '频次上限', 'camp.byQuiet': '免打扰延后',
  'camp.coupons': '发券 / 核销', 'camp.cost': '成本', 'camp.noControl': '没有对照组，无法衡量提升。',
  'camp.significant': '版本 {arm} 在 5% 显著性水平上优于对照组（胜出：{winner}）。',
  'camp.notSignificant': '与对照组的差异不显著（p ≥ 0.05）。',
  'imp.upload': '上传订单', 'imp.file': 'CSV 文件', 'imp.format': '格式', 'imp.generic': '通用 CSV', 'imp.taobao': '淘宝卖家中心导出',
  'imp.start': '导入', 'imp.help': '通用格式列：order_no, customer_external_id, ordered_at, total_amount（及可选的 status、customer_name、phone、email、商品明细…），UTF-8 或 GBK 编码；重复导入不会重复记录。',
  'imp.job': '导入任务', 'imp.status': '状态', 'imp.queued': '排队中', 'imp.running': '进行中', 'imp.completed': '已完成', 'imp.failed': '失败',
  'imp.rowsTotal': '行数', 'imp.rowsImported': '已导入行', 'imp.ordersImported': '已导入订单', 'imp.rowsDuplicate': '重复',
  'imp.rowsRejected': '拒绝', 'imp.errors': '被拒绝的行', 'imp.line': '行号', 'imp.reason': '原因',
  'tickets.anyStatus': '全部状态', 'tickets.anyPriority': '全部优先级', 'tickets.anySla': '全部 SLA 状态', 'tickets.breached': '已超时',
  'tickets.withinSla': '未超时', 'tickets.none': '没有工单。', 'tickets.subject': '主题', 'tickets.customer': '客户', 'tickets.category': '类别',
  'tickets.priority': '优先级', 'tickets.assignee': '处理人', 'tickets.due': '解决期限',
  'lifecycle.prospect': '潜在客户', 'lifecycle.new': '新客', 'lifecycle.active': '活跃', 'lifecycle.at_risk': '流失风险', 'lifecycle.churned': '已流失',
  'rfm.important_value': '重要价值客户', 'rfm.important_development': '重要发展客户', 'rfm.important_retention': '重要保持客户',
  'rfm.important_winback': '重要挽留客户', 'rfm.general_value': '一般价值客户', 'rfm.general_development': '一般发展客户',
  'rfm.general_retention': '一般保持客户', 'rfm.general_winback': '一般挽留客户',
  'platform.taobao': '淘宝', 'platform.tmall': '天猫', 'platform.jd': '京东', 'platform.own_site': '独立站', 'platform.offline': '线下',
  'ledger.earn': '获得', 'ledger.reverse': '冲回', 'ledger.redeem': '兑换', 'ledger.adjust': '调整', 'ledger.expire': '过期',
  'gender.male': '男', 'gender.female': '女', 'gender.unknown': '未知', 'channel.sms': '短信', 'channel.email': '邮件', 'channel.app': '站内信',
  'campaignStatus.draft': '草稿', 'campaignStatus.launching': '发布中', 'campaignStatus.launched': '已发布',
  'orderStatus.created': '已下单', 'orderStatus.paid': '已付款', 'orderStatus.shipped': '已发货', 'orderStatus.completed': '已完成',
  'orderStatus.cancelled': '已取消', 'orderStatus.refunded': '已退款', 'orderStatus.partially_refunded': '部分退款',
  'ticketStatus.open': '待处理', 'ticketStatus.in_progress': '处理中', 'ticketStatus.waiting_customer': '等待客户',
  'ticketStatus.resolved': '已解决', 'ticketStatus.closed': '已关闭',
  'priority.low': '低', 'priority.normal': '普通', 'priority.high': '高', 'priority.urgent': '紧急',
  'category.consultation': '咨询', 'category.logistics': '物流', 'category.quality': '质量', 'category.wrong_item': '错发',
  'category.refund': '退款', 'category.invoice': '发票', 'category.service_complaint': '服务投诉', 'category.other': '其他',
  'event.view': '浏览', 'event.favourite': '收藏', 'event.cart_add': '加购', 'event.cart_abandon': '放弃购物车', 'event.consult': '咨询',
  'event.review': '评价', 'event.custom': '事件',
  'op.in': '属于', 'op.not_in': '不属于', 'op.contains': '包含', 'op.exists': '已知', 'op.between': '介于',
  'op.within_last': '最近（天）内', 'op.before': '（天）以前',
  'field.rfm_segment': 'RFM 分类', 'field.rfm11': 'RFM 11 组', 'field.lifecycle_stage': '生命周期', 'field.tags': '标签',
  'field.predicted_clv_365d': '预测 CLV', 'field.p_alive': '存活概率', 'field.monetary': '平均客单', 'field.frequency': '复购次数',
  'field.recency_days': '距上次购买（天）', 'field.points_balance': '积分', 'field.tier': '会员等级', 'field.name': '姓名',
  'field.external_id': '外部 ID', 'field.gender': '性别', 'field.province': '省份', 'field.city': '城市', 'field.platform': '平台',
  'field.age_band': '年龄段', 'field.birthday': '生日', 'field.created_at': '创建时间', 'field.last_order_at': '最近下单',
  'field.expected_next_order_at': '预计下次下单', 'field.consent.sms': '短信许可', 'field.consent.email': '邮件许可',
  'field.consent.app': '站内信许可', 'field.event.cart_abandon': '行为：放弃购物车', 'field.event.cart_add': '行为：加购',
  'field.event.view': '行为：浏览', 'field.event.favourite': '行为：收藏', 'field.event.consult': '行为：咨询',
  'field.event.review': '行为：评价', 'field.segment': '属于人群（ID）',
};

const dictionaries = { en, 'zh-CN': zh };
const STORE = 'crm.lang';
let lang = localStorage.getItem(STORE) || ((navigator.language || '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');
if (!dictionaries[lang]) {
  lang = 'en';
}
document.documentElement.lang = lang;
const listeners = [];

export function t(key, vars) {
  const text = dictionaries[lang][key] ?? en[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m)) : text;
}

export function getLang() {
  return lang;
}

export function setLang(next) {
  if (!dictionaries[next] || next === lang) {
    return;
  }
  lang = next;
  localStorage.setItem(STORE, next);
  document.documentElement.lang = next;
  listeners.forEach((fn) => fn(next));
}

export function onLangChange(fn) {
  listeners.push(fn);
}

/** Keys of one dictionary missing in the other (tests and translators). */
export function missingKeys() {
  return { zh: Object.keys(en).filter((k) => !(k in zh) && !k.startsWith('op.')), en: Object.keys(zh).filter((k) => !(k in en)) };
}
