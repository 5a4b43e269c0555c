<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AuditTab</name>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="43"/>
        <source>cashier added</source>
        <translation>新增收银员</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="44"/>
        <source>manager added</source>
        <translation>新增店长</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="45"/>
        <source>staff removed</source>
        <translation>移除员工</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="46"/>
        <source>PIN changed</source>
        <translation>已更改密码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="47"/>
        <source>signed in at the counter</source>
        <translation>在柜台登录</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="48"/>
        <source>opened the manager screen</source>
        <translation>打开管理界面</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="49"/>
        <source>wrong PIN</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="50"/>
        <source>PIN pads locked after wrong PINs</source>
        <translation>多次密码错误，密码输入已锁定</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="51"/>
        <source>sale above the limit</source>
        <translation>超过限额的销售</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="52"/>
        <source>refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="53"/>
        <source>lost card replaced</source>
        <translation>遗失补发会员卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="54"/>
        <source>points adjusted</source>
        <translation>调整积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="59"/>
        <source>{when}  {who}: {what}</source>
        <translation>{when}  {who}：{what}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="60"/>
        <source>(set-up)</source>
        <translation>（设置）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="64"/>
        <source>(approved by {name})</source>
        <translation>（批准人：{name}）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="68"/>
        <source>What staff did at this kiosk, newest first</source>
        <translation>本机员工操作记录（最新在前）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="69"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
</context>
<context>
    <name>CardScreen</name>
    <message>
        <location filename="../../ui/screens/enrol.py" line="161"/>
        <source>Print card</source>
        <translation>打印会员卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="162"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="166"/>
        <source>Welcome, {name}! Card {card}</source>
        <translation>欢迎，{name}！卡号 {card}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="168"/>
        <source>Sign-up bonus: {n} points</source>
        <translation>入会礼：{n} 积分</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../../ui/news.py" line="109"/>
        <source>PIN changed. Use the new PIN from now on.</source>
        <translation>密码已更改，之后请使用新密码。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="25"/>
        <source>No product has the code {code}.</source>
        <translation>没有条码为 {code} 的商品。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="30"/>
        <source>That is a receipt&apos;s order code: to refund the order, open the manager screen and scan it there.</source>
        <translation>这是收据上的订单条码：要退款请打开店长画面，在那里扫描。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="36"/>
        <source>Finish or cancel this step before scanning another card.</source>
        <translation>请先完成或取消此步骤，再扫描其他卡。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="42"/>
        <source>This sale was already recorded; nothing was added. Balance: {balance}</source>
        <translation>此笔交易已记录，未重复积分。余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="45"/>
        <source>+{points} points for order {order}. New balance: {balance}</source>
        <translation>订单 {order} 积分 +{points}。新余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="53"/>
        <source>authorised online</source>
        <translation>已在线授权</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="55"/>
        <source>taken offline under the store&apos;s limits</source>
        <translation>按本店离线额度兑换</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="57"/>
        <source>{reward} redeemed ({how}). New balance: {balance}</source>
        <translation>已兑换{reward}（{how}）。新余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="65"/>
        <source>Thank you! {points} points given to {cause}. Balance: {balance}</source>
        <translation>谢谢您！已捐 {points} 积分给{cause}。余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="74"/>
        <source>{points} points given to {name}. Balance: {balance}</source>
        <translation>已转赠 {points} 积分给{name}。余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="82"/>
        <source>Order {order} refunded: {points} points. Balance: {balance}</source>
        <translation>订单 {order} 已退款：{points} 积分。余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="87"/>
        <source>Part of order {order} refunded: {points} points. Balance: {balance}</source>
        <translation>订单 {order} 部分退款：{points} 积分。余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="92"/>
        <source>Give back {money}.</source>
        <translation>请退还 {money}。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="98"/>
        <source>Adjustment recorded: {points:+d} points. Balance: {balance}</source>
        <translation>已记录调整：{points:+d} 积分。余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="104"/>
        <source>Ledger address saved: {address}</source>
        <translation>已保存总账地址：{address}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="114"/>
        <source>Receipt printed.</source>
        <translation>小票已打印。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="122"/>
        <source>No printer is set up: the card was saved as {path}.</source>
        <translation>尚未设置打印机：会员卡已保存为 {path}。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="127"/>
        <source>That coupon code could not be read completely. Please scan it again.</source>
        <translation>优惠券条码未能完整读取，请再扫描一次。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="132"/>
        <source>New card {card} for {name}: the old card no longer works. Print the new card from the receipt button.</source>
        <translation>{name} 的新卡 {card} 已发出，旧卡已停用。请按小票按钮打印新卡。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="118"/>
        <source>Card printed.</source>
        <translation>会员卡已打印。</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="381"/>
        <source>Manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="383"/>
        <source>Print receipt</source>
        <translation>打印小票</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="386"/>
        <source>Simulate a scan</source>
        <translation>模拟扫描</translation>
    </message>
</context>
<context>
    <name>DemoScans</name>
    <message>
        <location filename="../../ui/window.py" line="60"/>
        <source>Product: {name}</source>
        <translation>商品：{name}</translation>
    </message>
    <message>
        <location filename="../../kiosk/app/qt.py" line="56"/>
        <source>Forged card</source>
        <translation>伪造的会员卡</translation>
    </message>
    <message>
        <location filename="../../kiosk/app/qt.py" line="57"/>
        <source>Not a card</source>
        <translation>不是会员卡</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <location filename="../../ui/devices_page.py" line="185"/>
        <source>Keyboard-wedge scanner</source>
        <translation>键盘式扫描枪</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="186"/>
        <location filename="../../ui/devices_page.py" line="202"/>
        <source>Serial scanner</source>
        <translation>串口扫描枪</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="187"/>
        <source>Port (or auto)</source>
        <translation>端口（或 auto）</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="188"/>
        <location filename="../../ui/devices_page.py" line="193"/>
        <source>Baud rate</source>
        <translation>波特率</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="189"/>
        <source>Line end</source>
        <translation>行尾</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="190"/>
        <source>Camera scanner</source>
        <translation>相机扫描</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="191"/>
        <location filename="../../ui/devices_page.py" line="202"/>
        <source>Camera</source>
        <translation>相机</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="193"/>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="193"/>
        <source>Where</source>
        <translation>连接位置</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="194"/>
        <source>Paper (mm)</source>
        <translation>纸宽（mm）</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="194"/>
        <source>Chinese as</source>
        <translation>中文打印方式</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="197"/>
        <source>/dev/usb/lp0, COM3, 04b8:0e28 or 10.0.0.9</source>
        <translation>/dev/usb/lp0、COM3、04b8:0e28 或 10.0.0.9</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="199"/>
        <source>Save and apply</source>
        <translation>保存并应用</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="200"/>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="201"/>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="201"/>
        <source>Keyboard wedge</source>
        <translation>键盘式扫描枪</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="203"/>
        <source>{device}: {state}</source>
        <translation>{device}：{state}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="207"/>
        <source>Not saved: {problem}</source>
        <translation>未保存：{problem}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="212"/>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="212"/>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="213"/>
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="213"/>
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="214"/>
        <source>Network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="214"/>
        <source>Image (any printer)</source>
        <translation>图像（任何打印机）</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="215"/>
        <source>GB18030 text</source>
        <translation>GB18030 文本</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="215"/>
        <source>Big5 text</source>
        <translation>Big5 文本</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="224"/>
        <source>on</source>
        <translation>开启</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="224"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="224"/>
        <source>starting</source>
        <translation>启动中</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="225"/>
        <source>no scanner found</source>
        <translation>未找到扫描枪</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="226"/>
        <source>no camera is connected</source>
        <translation>未连接相机</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="227"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="230"/>
        <source>connected {detail}</source>
        <translation>已连接 {detail}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="231"/>
        <source>disconnected: {detail}</source>
        <translation>已断开：{detail}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="232"/>
        <source>unavailable: {detail}</source>
        <translation>不可用：{detail}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="233"/>
        <source>error: {detail}</source>
        <translation>错误：{detail}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="233"/>
        <source>on {detail}</source>
        <translation>开启：{detail}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="234"/>
        <source>{kind} {detail}</source>
        <translation>{kind} {detail}</translation>
    </message>
</context>
<context>
    <name>DonateScreen</name>
    <message>
        <location filename="../../ui/screens/donate.py" line="133"/>
        <source>Give points to a cause</source>
        <translation>捐积分做公益</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="134"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="136"/>
        <source>Available: {n} points</source>
        <translation>可用：{n} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="141"/>
        <source>{cause}
from {n} points</source>
        <translation>{cause}
{n} 积分起</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="150"/>
        <source>{n} points</source>
        <translation>{n} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="154"/>
        <source>Choose a cause, then how many points to give.</source>
        <translation>请选择捐赠对象，再选择要捐的积分。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="155"/>
        <source>Give points</source>
        <translation>捐出积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="157"/>
        <source>From {low} to {high} points: tap − or + to change how many.</source>
        <translation>可捐 {low} 到 {high} 积分：按 − 或 + 调整。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="159"/>
        <source>Give {n} points to {cause}</source>
        <translation>捐 {n} 积分给{cause}</translation>
    </message>
</context>
<context>
    <name>EnrolScreen</name>
    <message>
        <location filename="../../ui/screens/enrol.py" line="94"/>
        <source>the birthday is not a date (YYYY-MM-DD)</source>
        <translation>生日格式不正确（YYYY-MM-DD）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="110"/>
        <source>Become a member</source>
        <translation>加入会员</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="111"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="112"/>
        <source>Mobile phone</source>
        <translation>手机号码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="113"/>
        <source>Birthday (optional)</source>
        <translation>生日（选填）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="114"/>
        <source>Referred by</source>
        <translation>推荐人</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="116"/>
        <source>scan the referring member&apos;s card</source>
        <translation>请扫描推荐会员的卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="118"/>
        <source>Privacy notice: we keep your name, phone number and birthday to run the loyalty programme and never sell them. Ask at the counter to see or delete your data.</source>
        <translation>隐私声明：我们保存您的姓名、手机号码和生日，仅用于会员积分计划，绝不出售。如需查看或删除资料，请咨询柜台。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="120"/>
        <source>I have read and accept the privacy notice</source>
        <translation>我已阅读并同意隐私声明</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="121"/>
        <source>Join and issue my card</source>
        <translation>加入并发卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="122"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>IdleScreen</name>
    <message>
        <location filename="../../ui/screens/idle.py" line="34"/>
        <source>Please scan your membership card</source>
        <translation>请扫描您的会员卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/idle.py" line="35"/>
        <source>New member? Join here</source>
        <translation>新会员？请在此加入</translation>
    </message>
</context>
<context>
    <name>LoyaltyPanel</name>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="123"/>
        <source>{n} points</source>
        <translation>{n} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="135"/>
        <source>No reward</source>
        <translation>不使用奖励</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="138"/>
        <source>{reward} ({cost} points)</source>
        <translation>{reward}（{cost} 积分）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="140"/>
        <source>No coupon</source>
        <translation>不使用优惠券</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="143"/>
        <source>Scanned coupon</source>
        <translation>扫描的优惠券</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="151"/>
        <source>Most</source>
        <translation>最多</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="152"/>
        <source>Pay with points:</source>
        <translation>积分抵扣：</translation>
    </message>
</context>
<context>
    <name>ManagerScreen</name>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="54"/>
        <source>scan the member&apos;s card first</source>
        <translation>请先扫描会员卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="60"/>
        <source>points are a whole number, e.g. +50 or -20</source>
        <translation>积分须为整数，例如 +50 或 -20</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_tab.py" line="63"/>
        <source>the two PINs were not the same; the manager PIN is unchanged</source>
        <translation>两次输入的密码不一致，店长密码未更改</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="179"/>
        <source>Manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="182"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="183"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="184"/>
        <source>Adjust points</source>
        <translation>调整积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="185"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="186"/>
        <source>Device and sync</source>
        <translation>设备与同步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="190"/>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="191"/>
        <source>Lost card</source>
        <translation>挂失补卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_tab.py" line="76"/>
        <source>Type the new PIN again</source>
        <translation>请再次输入新密码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_tab.py" line="81"/>
        <source>Save the new PIN</source>
        <translation>保存新密码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_tab.py" line="82"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="74"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="75"/>
        <source>Points (+/-)</source>
        <translation>积分（+/-）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="76"/>
        <source>Record adjustment</source>
        <translation>记录调整</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="39"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../ui/screens/device_tab.py" line="68"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/device_tab.py" line="69"/>
        <source>Ledger address</source>
        <translation>总账地址</translation>
    </message>
    <message>
        <location filename="../../ui/screens/device_tab.py" line="70"/>
        <source>Check and save the ledger address</source>
        <translation>检查并保存总账地址</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="193"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="78"/>
        <source>Member: {name}, {points} points</source>
        <translation>会员：{name}，{points} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="80"/>
        <source>Scan a member&apos;s card before adjusting points.</source>
        <translation>调整积分前请先扫描会员卡。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="44"/>
        <source>Today at this kiosk (other kiosks and the shop count on their own)</source>
        <translation>本机今日（其他机台与网店另计）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="47"/>
        <source>New members: {n}</source>
        <translation>新会员：{n}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="49"/>
        <source>Sales: {n} rung up, {refunds} refunded; net {amount}</source>
        <translation>销售：结账 {n} 笔，退款 {refunds} 笔；净额 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="54"/>
        <source>Points redeemed: {n} (redemptions: {count})</source>
        <translation>已兑换积分：{n}（兑换 {count} 次）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="52"/>
        <source>Points issued: {n}</source>
        <translation>发放积分：{n}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="180"/>
        <source>Managers: tap your name, then type your PIN</source>
        <translation>店长：请点选您的名字，再输入密码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="187"/>
        <source>My PIN</source>
        <translation>我的密码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="188"/>
        <source>Staff trail</source>
        <translation>员工记录</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_tab.py" line="77"/>
        <source>{name}, type your new PIN ({low} to {high} digits)</source>
        <translation>{name}，请输入新密码（{low} 至 {high} 位数字）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/device_tab.py" line="73"/>
        <source>Device {device} at {store}</source>
        <translation>设备 {device}，{store}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="75"/>
        <source>New card {card} for {name}; cancelled: {old}. Balance: {points} points.</source>
        <translation>已为 {name} 发出新卡 {card}；已停用：{old}。余额：{points} 积分。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="88"/>
        <source>The member&apos;s phone number, or the lost card&apos;s number:</source>
        <translation>会员的手机号码，或丢失卡片的卡号：</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="90"/>
        <source>0912-345-678 or the card number</source>
        <translation>0912-345-678 或卡号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="92"/>
        <source>Find</source>
        <translation>搜索</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="93"/>
        <source>Cancel their cards and issue a new one</source>
        <translation>停用旧卡并发出新卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="98"/>
        <source>{name} ({phone}) · cards {cards} · {points} points</source>
        <translation>{name}（{phone}）· 卡号 {cards} · {points} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="105"/>
        <source>No member found.</source>
        <translation>查无会员。</translation>
    </message>
</context>
<context>
    <name>MemberScreen</name>
    <message>
        <location filename="../../ui/screens/member.py" line="110"/>
        <source>Ring up a sale</source>
        <translation>结账积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="111"/>
        <source>Redeem a reward</source>
        <translation>兑换奖励</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="112"/>
        <source>Donate points</source>
        <translation>捐赠积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="113"/>
        <source>Give points</source>
        <translation>转赠积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="114"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="115"/>
        <source>Rewards within reach</source>
        <translation>可兑换的奖励</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="116"/>
        <source>Recent activity</source>
        <translation>近期记录</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="123"/>
        <source>Member from another store</source>
        <translation>其他门店的会员</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="124"/>
        <source>Details arrive with sync</source>
        <translation>同步后显示姓名与电话</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="135"/>
        <source>{n} points</source>
        <translation>{n} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="138"/>
        <source>Today: {offers}</source>
        <translation>今日优惠：{offers}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="148"/>
        <source>Top tier: thank you!</source>
        <translation>最高等级，感谢您的支持！</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="152"/>
        <source>Earn {points} more points to reach {tier}</source>
        <translation>再赚 {points} 积分即可升级为{tier}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="156"/>
        <source>Spend {amount} more to reach {tier}</source>
        <translation>再消费 {amount} 即可升级为{tier}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="165"/>
        <source>✓ {reward}: {cost} points</source>
        <translation>✓ {reward}：{cost} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="168"/>
        <source>{reward}: {short} more points</source>
        <translation>{reward}：还差 {short} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="171"/>
        <source>No rewards in the catalogue</source>
        <translation>目前没有可兑换的奖励</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="184"/>
        <source>{tier} until {date}</source>
        <translation>{tier}会员资格至 {date}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="187"/>
        <source>{tier} until {date}; earn {n} more points this year to keep it</source>
        <translation>{tier}会员资格至 {date}；今年再赚 {n} 积分即可保级</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="189"/>
        <source>{tier} until {date}; earn {n} more points to keep it</source>
        <translation>{tier}会员资格至 {date}；再赚 {n} 积分即可保级</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="191"/>
        <source>{tier} until {date}; spend {n} more this year to keep it</source>
        <translation>{tier}会员资格至 {date}；今年再消费 {n} 即可保级</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="192"/>
        <source>{tier} until {date}; spend {n} more to keep it</source>
        <translation>{tier}会员资格至 {date}；再消费 {n} 即可保级</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="200"/>
        <source>{card} {stamps} {held} of {size}</source>
        <translation>{card} {stamps} 已集 {held}/{size}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="215"/>
        <source>{coupon} (from {date})</source>
        <translation>{coupon}（{date} 起）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="218"/>
        <source>{coupon} (until {date})</source>
        <translation>{coupon}（至 {date}）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="219"/>
        <source>Coupons: {coupons}</source>
        <translation>优惠券：{coupons}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="226"/>
        <source>{n} available now</source>
        <translation>{n} 积分现在可用</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="228"/>
        <source>{n} pending until {date}</source>
        <translation>{n} 积分 {date} 起可用</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="230"/>
        <source>{n} expire on {date}</source>
        <translation>{n} 积分 {date} 到期</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="234"/>
        <source>Purchase</source>
        <translation>消费</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="234"/>
        <source>Bonus</source>
        <translation>奖励积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="235"/>
        <source>Reward</source>
        <translation>兑换</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="235"/>
        <source>Adjustment</source>
        <translation>调整</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="236"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="236"/>
        <source>Expired</source>
        <translation>过期</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="237"/>
        <source>Donation</source>
        <translation>捐赠</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="239"/>
        <source>Points received</source>
        <translation>受赠积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="240"/>
        <source>Points given</source>
        <translation>转赠积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="242"/>
        <source>online shop</source>
        <translation>网店</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="244"/>
        <source>the program</source>
        <translation>会员方案</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="246"/>
        <source>this store</source>
        <translation>本店</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="254"/>
        <source>{card}  {n} stamps</source>
        <translation>{card}  {n} 个印章</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="271"/>
        <source>Birthday bonus</source>
        <translation>生日礼积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="272"/>
        <source>First purchase bonus</source>
        <translation>首购礼积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="273"/>
        <source>Referral bonus</source>
        <translation>推荐礼积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="274"/>
        <source>Welcome bonus</source>
        <translation>入会礼积分</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/messages.py" line="103"/>
        <source>That is not a Counterpoint membership card.</source>
        <translation>这不是 Counterpoint 会员卡。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="105"/>
        <source>The card could not be read completely. Please scan it again.</source>
        <translation>无法完整读取此卡，请再扫描一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="107"/>
        <source>This card comes from a kiosk this store does not trust yet.</source>
        <translation>此卡由本店尚未信任的终端发行。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="109"/>
        <source>This card failed the security check and cannot be used.</source>
        <translation>此卡未通过安全检查，无法使用。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="111"/>
        <source>This card has been reported lost and is blocked. Please ask the member for their new card.</source>
        <translation>此卡已挂失停用，请向会员索取新卡。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="122"/>
        <source>This card cannot be used.</source>
        <translation>此卡无法使用。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="125"/>
        <source>The card is genuine, but this member is not known here yet. Try again after the kiosk has synced.</source>
        <translation>此卡为真卡，但本机尚无此会员资料，请待同步后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="128"/>
        <source>This member joined at another store and this kiosk has not synced their account yet. Their points can be used once the kiosk is online.</source>
        <translation>这位会员是在其他门店加入的，本机尚未同步其账户。联网后即可使用积分。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="135"/>
        <source>The ledger cannot be reached and this is over the offline limit. Try again when the kiosk is online.</source>
        <translation>目前无法连接总账，且已超过离线上限，请联网后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="138"/>
        <source>This order has already been refunded.</source>
        <translation>此订单已退款。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="140"/>
        <source>No points were recorded for this order number.</source>
        <translation>此订单号没有积分记录。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="145"/>
        <source>A member with this phone number already exists.</source>
        <translation>此手机号码已有会员。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="65"/>
        <source>Please check the input:</source>
        <translation>请检查输入内容：</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="200"/>
        <source>Could not save: the disk is full or not available. Nothing was recorded; please call the manager.</source>
        <translation>无法保存：磁盘已满或不可用。未记录任何数据，请联系店长。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="209"/>
        <source>The central ledger cannot be reached right now.</source>
        <translation>目前无法连接总账。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="92"/>
        <source>Too many wrong PINs. Try again in {n} seconds.</source>
        <translation>密码错误次数过多，请于 {n} 秒后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="157"/>
        <source>Wrong PIN.</source>
        <translation>密码错误。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="57"/>
        <source>No manager is set up on this kiosk: set one with `kiosk manager-pin PIN` or `kiosk staff add NAME --role manager --pin PIN`.</source>
        <translation>本机尚未设置店长：请用 `kiosk manager-pin 密码` 或 `kiosk staff add 名字 --role manager --pin 密码` 设置。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="70"/>
        <source>This coupon has already been used.</source>
        <translation>此优惠券已使用过。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="71"/>
        <source>This coupon can&apos;t be used yet: a coupon works from the next visit on.</source>
        <translation>此优惠券尚不能使用：优惠券自下次消费起适用。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="73"/>
        <source>This coupon has expired.</source>
        <translation>此优惠券已过期。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="74"/>
        <source>The basket is below this coupon&apos;s minimum spend.</source>
        <translation>消费金额未达此优惠券的最低消费。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="76"/>
        <source>This coupon&apos;s free item is not in the basket.</source>
        <translation>此优惠券的免费商品不在购物清单中。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="78"/>
        <source>This coupon belongs to another member.</source>
        <translation>此优惠券属于其他会员。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="80"/>
        <source>This coupon can only be checked while the kiosk is online.</source>
        <translation>此优惠券须在本机联网时才能确认。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="82"/>
        <source>This coupon was withdrawn when its order was refunded.</source>
        <translation>此优惠券的原订单已退款，优惠券已作废。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="84"/>
        <source>This coupon is no longer part of the program.</source>
        <translation>此优惠券已不在会员方案中。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="87"/>
        <source>This coupon is not known for this member.</source>
        <translation>查无此会员的这张优惠券。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="114"/>
        <source>Card {card} was already replaced: the member&apos;s card now is {current}. To replace that one, search by it or by their phone number.</source>
        <translation>卡号 {card} 已补发过新卡：会员当前的卡是 {current}。如需补发这张，请以它的卡号或会员的手机号码查询。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="118"/>
        <source>Card {card} was already replaced, and the member holds no card now: search by their phone number to issue one.</source>
        <translation>卡号 {card} 已补发过新卡，会员当前没有有效的卡：请以会员的手机号码查询以发出新卡。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="131"/>
        <source>The member doesn&apos;t have enough points available for this.</source>
        <translation>会员可用积分不足。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="133"/>
        <source>This cause is no longer in the program: please choose another.</source>
        <translation>此公益项目已不在方案中，请选择其他项目。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="142"/>
        <source>This receipt is from {channel}: the order is refunded there.</source>
        <translation>此收据来自 {channel}：请在该处办理退款。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="148"/>
        <source>Points can move between members only while the ledger can be reached. Nothing was changed; try again when the kiosk is online.</source>
        <translation>积分只能在连得上总账时于会员之间转赠。没有任何变更；请在本机联网后再试一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="153"/>
        <source>That many points can&apos;t pay for this bill: see the limit on screen.</source>
        <translation>这笔消费无法抵扣这么多积分，请看屏幕上的上限。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="159"/>
        <source>Only a manager can do this.</source>
        <translation>只有店长可以执行此操作。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="161"/>
        <source>This person is no longer on this kiosk&apos;s staff.</source>
        <translation>此人已不是本机的员工。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="163"/>
        <source>A sale this large needs a manager&apos;s approval.</source>
        <translation>这么大额的销售需要店长批准。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="165"/>
        <source>This member&apos;s points were adjusted at this kiosk today as far as the program allows. Nothing was changed.</source>
        <translation>此会员今天在本机的积分调整已达方案允许的上限，未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="169"/>
        <source>That address is a different ledger from the one this kiosk is paired with. Nothing was changed.</source>
        <translation>此地址是另一个总账，不是本机配对的总账。未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="194"/>
        <source>The ledger did not accept this kiosk&apos;s device token. Nothing was changed.</source>
        <translation>总账不接受本机的设备令牌。未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="204"/>
        <source>The ledger did not answer: the points may have moved or not. Tap the button again to finish this same transfer; it is never given twice.</source>
        <translation>总账没有回应：积分可能已经转出，也可能没有。请再按一次按钮，完成同一笔转赠；绝不会转赠两次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="215"/>
        <source>No receipt printer is set up.</source>
        <translation>尚未设置小票打印机。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="217"/>
        <source>USB printers can&apos;t be used on this machine: the libusb library is missing. Connect the printer another way, or ask a technician.</source>
        <translation>这台机器无法使用 USB 打印机：缺少 libusb 库。请改用其他方式连接打印机，或联系技术人员。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="220"/>
        <source>The receipt printer is not answering. Check that it is switched on, connected and has paper, then try again.</source>
        <translation>小票打印机没有响应。请确认电源已打开、已连接且有纸，然后再试一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="224"/>
        <source>The device is not available:</source>
        <translation>设备不可用：</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="228"/>
        <source>Something went wrong. It has been logged; please try again.</source>
        <translation>出现错误，已记录，请再试一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="236"/>
        <source>The amount must be more than zero.</source>
        <translation>金额必须大于零。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="237"/>
        <source>That amount is over this store&apos;s limit for one sale. Was a product&apos;s barcode scanned into the amount?</source>
        <translation>这个金额超过本店单笔交易的上限。是不是把商品条码扫进了金额栏？</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="240"/>
        <source>Every basket line needs a quantity and a price.</source>
        <translation>购物清单的每一项都需要数量和价格。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="242"/>
        <source>An order number is 1 to 64 characters.</source>
        <translation>订单编号为 1 至 64 个字符。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="244"/>
        <source>This order number was already rung up for another member or amount.</source>
        <translation>此订单编号已用于其他会员或金额结账。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="247"/>
        <source>Please enter the member&apos;s name.</source>
        <translation>请输入会员姓名。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="248"/>
        <source>A name can be at most {max} characters.</source>
        <translation>姓名最多 {max} 个字符。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="250"/>
        <source>That is not a phone number: it needs 6 to 15 digits.</source>
        <translation>这不是有效的电话号码：需要 6 至 15 位数字。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="252"/>
        <source>The member must accept the privacy notice to join.</source>
        <translation>会员须同意隐私声明才能加入。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="254"/>
        <source>A birthday cannot be in the future.</source>
        <translation>生日不能是未来的日期。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="256"/>
        <source>Please give a reason for the adjustment.</source>
        <translation>请填写调整原因。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="258"/>
        <source>An adjustment is 1 to {max} points, up or down.</source>
        <translation>每次调整为增加或扣除 1 至 {max} 积分。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="261"/>
        <source>That many points can&apos;t be given to this cause: at least its minimum, at most {max}.</source>
        <translation>此积分无法捐给这个公益项目：至少为其最低积分，最多 {max} 积分。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="264"/>
        <source>These points can&apos;t be given: a member gives to another member, within the store&apos;s limits for one transfer (shown on screen).</source>
        <translation>无法转赠这些积分：只能转赠给其他会员，且每次须在本店的转赠上下限之内（见画面）。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="267"/>
        <source>A manager PIN is {low} to {high} digits.</source>
        <translation>店长密码为 {low} 至 {high} 位数字。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="270"/>
        <source>A ledger address looks like https://ledger.example.com:8470.</source>
        <translation>总账地址的格式如 https://ledger.example.com:8470。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="272"/>
        <source>This contains a control character (an invisible code such as NUL). Please type it again.</source>
        <translation>内容含有控制字符（例如 NUL 这类看不见的代码），请重新输入。</translation>
    </message>
</context>
<context>
    <name>RedeemScreen</name>
    <message>
        <location filename="../../ui/screens/redeem.py" line="77"/>
        <source>Redeem a reward</source>
        <translation>兑换奖励</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="78"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="79"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="81"/>
        <source>Balance: {n} points</source>
        <translation>余额：{n} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="86"/>
        <source>{reward}
{cost} points</source>
        <translation>{reward}
{cost} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="93"/>
        <source>Choose a reward the member can afford.</source>
        <translation>请选择会员积分足够的奖励。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="95"/>
        <source>Redeem {reward} for {cost} points?</source>
        <translation>用 {cost} 积分兑换{reward}？</translation>
    </message>
</context>
<context>
    <name>RefundLinePage</name>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="60"/>
        <source>Amount keyed in</source>
        <translation>手动输入金额</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="65"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="66"/>
        <source>All of it</source>
        <translation>全部退回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="67"/>
        <source>Refund…</source>
        <translation>退款…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="71"/>
        <source>Order {order}: how many of each come back?</source>
        <translation>订单 {order}：每项退回几件？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="78"/>
        <source>{left} of {quantity} left · {price} each</source>
        <translation>共 {quantity} 件，剩 {left} 件可退 · 单价 {price}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="80"/>
        <source>All {quantity} refunded</source>
        <translation>{quantity} 件均已退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="86"/>
        <source>Money to give back: {amount}</source>
        <translation>应退还金额：{amount}</translation>
    </message>
</context>
<context>
    <name>RefundOrderList</name>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="126"/>
        <source>{points} points</source>
        <translation>{points} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="131"/>
        <source>Refunded</source>
        <translation>已退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="133"/>
        <source>Partly refunded</source>
        <translation>部分已退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="138"/>
        <source>Recent orders of {name} at this kiosk: tap one</source>
        <translation>{name} 在本机的近期订单：点选一笔</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="140"/>
        <source>Recent orders at this kiosk: tap one</source>
        <translation>本机近期订单：点选一笔</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="141"/>
        <source>No sales to refund here. A receipt&apos;s order number can be typed instead.</source>
        <translation>这里没有可退款的销售。也可输入收据上的订单编号。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="144"/>
        <source>Order number</source>
        <translation>订单编号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="145"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="146"/>
        <source>Refund…</source>
        <translation>退款…</translation>
    </message>
</context>
<context>
    <name>RefundQuestion</name>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="62"/>
        <source>Yes, refund</source>
        <translation>确定退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="63"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="73"/>
        <source>Refund the rest of order {order} for {name}?</source>
        <translation>要为 {name} 退还订单 {order} 的其余部分吗？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="74"/>
        <source>Refund the rest of order {order}?</source>
        <translation>要退还订单 {order} 的其余部分吗？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="76"/>
        <source>Refund part of order {order} for {name}?</source>
        <translation>要为 {name} 部分退款订单 {order} 吗？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="77"/>
        <source>Refund part of order {order}?</source>
        <translation>要部分退款订单 {order} 吗？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="79"/>
        <source>Refund order {order}?</source>
        <translation>要为订单 {order} 退款吗？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="81"/>
        <source>Refund order {order} of {amount} for {name}?</source>
        <translation>要为 {name} 的订单 {order}（{amount}）退款吗？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="82"/>
        <source>Refund order {order} of {amount}?</source>
        <translation>要为订单 {order}（{amount}）退款吗？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="90"/>
        <source>Money to give back: {amount}</source>
        <translation>应退还金额：{amount}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="95"/>
        <source>Every point the order moved goes back.</source>
        <translation>此订单变动的积分将全部退回。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="96"/>
        <source>The member&apos;s points don&apos;t change</source>
        <translation>会员积分不变</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="97"/>
        <source>Takes {points} points back from the member</source>
        <translation>从会员扣回 {points} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="99"/>
        <source>Gives {points} points back to the member</source>
        <translation>退还会员 {points} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="103"/>
        <source>Rung up {when}</source>
        <translation>结账时间：{when}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="106"/>
        <source>Reason: {reason}</source>
        <translation>原因：{reason}</translation>
    </message>
</context>
<context>
    <name>SaleScreen</name>
    <message>
        <location filename="../../ui/screens/sale.py" line="242"/>
        <source>Total {amount}</source>
        <translation>合计 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="180"/>
        <source>Earns {n} points</source>
        <translation>可得 {n} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="191"/>
        <source>{card} +{n}</source>
        <translation>{card} +{n} 个印章</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="194"/>
        <source>Coupon: {coupon}</source>
        <translation>优惠券：{coupon}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="239"/>
        <source>To pay {amount} (of {total})</source>
        <translation>应付 {amount}（原价 {total}）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="277"/>
        <source>Checking the coupon…</source>
        <translation>正在确认优惠券…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="299"/>
        <source>{n} points</source>
        <translation>{n} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="348"/>
        <source>New sale for {name}</source>
        <translation>{name} 的新交易</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="350"/>
        <source>New sale</source>
        <translation>新交易</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="351"/>
        <source>Amount keyed in (added to the scanned items)</source>
        <translation>输入的金额（加在扫描的商品之外）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="352"/>
        <source>Clear amount</source>
        <translation>清除金额</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="353"/>
        <source>Scanned items (tap one to remove it)</source>
        <translation>扫描的商品（点选一项可移除）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="354"/>
        <source>Remove one of this item</source>
        <translation>移除一件此商品</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="355"/>
        <source>Confirm sale</source>
        <translation>确认结账</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="356"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>StaffCheckScreen</name>
    <message>
        <location filename="../../ui/screens/staff_check.py" line="80"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>StaffSteps</name>
    <message>
        <location filename="../../ui/staff_steps.py" line="52"/>
        <source>Who is at the counter?</source>
        <translation>现在由谁当班？</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="53"/>
        <source>Tap your name, then type your PIN.</source>
        <translation>请点选您的名字，再输入密码。</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="55"/>
        <location filename="../../ui/staff_steps.py" line="143"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="104"/>
        <source>A manager&apos;s approval</source>
        <translation>店长批准</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="105"/>
        <source>A sale of {amount} is above {limit}: a manager taps their name and types their PIN to approve it.</source>
        <translation>这笔 {amount} 的销售超过 {limit}：请店长点选名字并输入密码批准。</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="109"/>
        <source>Approve the sale</source>
        <translation>批准这笔销售</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="122"/>
        <source>{name} is at the counter: what happens here now is in their name.</source>
        <translation>{name} 正在当班：此后的操作都记在其名下。</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="141"/>
        <source>Cashier: {name}</source>
        <translation>收银员：{name}</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../ui/sync_badge.py" line="20"/>
        <source>Not paired with a ledger: working offline only.</source>
        <translation>未连接总账：仅离线工作。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="21"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="22"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="23"/>
        <source>Connecting…</source>
        <translation>连接中…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="34"/>
        <source>{state} · {n} waiting</source>
        <translation>{state} · {n} 条待传</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="28"/>
        <source>{n} held back</source>
        <translation>{n} 笔暂留</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="30"/>
        <source>Clock off</source>
        <translation>时钟不准</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="31"/>
        <source>Update needed</source>
        <translation>需要更新</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="43"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="45"/>
        <source>Last successful sync: {time}</source>
        <translation>上次成功同步：{time}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="46"/>
        <source>Sent {up}, received {down}</source>
        <translation>已发送 {up}，已接收 {down}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="49"/>
        <source>Last error: {error}</source>
        <translation>上次错误：{error}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="53"/>
        <source>This device&apos;s clock is {n} minutes ahead of the ledger&apos;s. Entries are dated by the ledger&apos;s time; please set the clock right.</source>
        <translation>本机时钟比总账快了 {n} 分钟。记录会以总账的时间为准；请把时钟调准。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="57"/>
        <source>This device&apos;s clock is {n} minutes behind the ledger&apos;s. Entries are dated by the ledger&apos;s time; please set the clock right.</source>
        <translation>本机时钟比总账慢了 {n} 分钟。记录会以总账的时间为准；请把时钟调准。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="63"/>
        <source>This kiosk can&apos;t read part of what the ledger sent and keeps what it had; please update this kiosk:</source>
        <translation>本机无法读取总账传来的部分内容，将沿用原有设置；请更新本机程序：</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="69"/>
        <source>Held back from the ledger, kept on this kiosk:</source>
        <translation>未送往总账、保留在本机的记录：</translation>
    </message>
</context>
<context>
    <name>TransferScreen</name>
    <message>
        <location filename="../../ui/screens/transfer.py" line="201"/>
        <source>Member from another store</source>
        <translation>其他门店的会员</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="205"/>
        <source>Give points to another member</source>
        <translation>转赠积分给其他会员</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="207"/>
        <source>Available: not known until the transfer is tapped again</source>
        <translation>可用：再按一次转赠后才知道</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="209"/>
        <source>Available: {n} points</source>
        <translation>可用：{n} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="210"/>
        <source>Scan their card, or find them by phone:</source>
        <translation>扫描对方的会员卡，或按电话查找：</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="211"/>
        <source>Phone number</source>
        <translation>电话号码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="212"/>
        <source>Find by phone</source>
        <translation>按电话查找</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="213"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="218"/>
        <source>{name} ({phone})</source>
        <translation>{name}（{phone}）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="226"/>
        <source>To: {name}</source>
        <translation>给：{name}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="230"/>
        <source>{n} points</source>
        <translation>{n} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="235"/>
        <source>Give points</source>
        <translation>转赠积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="237"/>
        <source>Give {n} points to {name}</source>
        <translation>转赠 {n} 积分给{name}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="245"/>
        <source>The member giving the points can&apos;t receive them: scan or find another member.</source>
        <translation>转赠积分的会员不能自己接收：请扫描或查找另一位会员。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="248"/>
        <source>No member here has this phone number or card number.</source>
        <translation>本店没有使用此电话号码或卡号的会员。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="250"/>
        <source>Several members have this phone number: tap the one who receives the points.</source>
        <translation>有多位会员使用此电话号码：请点选接收积分的会员。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="253"/>
        <source>First who receives the points, then how many.</source>
        <translation>先选接收积分的会员，再选积分数。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="255"/>
        <source>Too few points available: one transfer is at least {n} points.</source>
        <translation>可用积分不足：每次转赠至少 {n} 积分。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="257"/>
        <source>From {low} to {high} points: tap − or + to change how many.</source>
        <translation>{low} 至 {high} 积分：点 − 或 + 调整数量。</translation>
    </message>
</context>
</TS>
