<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
        <location filename="../../ui/window.py" line="167"/>
        <source>Manager PIN changed. Use the new PIN from now on.</source>
        <translation>店长密码已更改，请从现在起使用新密码。</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="292"/>
        <source>No product has the code {code}.</source>
        <translation>没有条码为 {code} 的商品。</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="302"/>
        <source>Finish or cancel this step before scanning another card.</source>
        <translation>请先完成或取消此步骤，再扫描其他卡。</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="323"/>
        <source>This sale was already recorded; nothing was added. Balance: {balance}</source>
        <translation>此笔交易已记录，未重复积分。余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="326"/>
        <source>+{points} points for order {order}. New balance: {balance}</source>
        <translation>订单 {order} 积分 +{points}。新余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="336"/>
        <source>authorised online</source>
        <translation>已在线授权</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="337"/>
        <source>taken offline under the store&apos;s limits</source>
        <translation>按本店离线额度兑换</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="338"/>
        <source>{reward} redeemed ({how}). New balance: {balance}</source>
        <translation>已兑换{reward}（{how}）。新余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="367"/>
        <source>Order {order} refunded: {points} points. Balance: {balance}</source>
        <translation>订单 {order} 已退款：{points} 积分。余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="374"/>
        <source>Adjustment recorded: {points:+d} points. Balance: {balance}</source>
        <translation>已记录调整：{points:+d} 积分。余额：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="380"/>
        <source>Ledger address saved: {address}</source>
        <translation>已保存总账地址：{address}</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="411"/>
        <source>Receipt printed.</source>
        <translation>小票已打印。</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="427"/>
        <source>No printer is set up: the card was saved as {path}.</source>
        <translation>尚未设置打印机：会员卡已保存为 {path}。</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="431"/>
        <source>Card printed.</source>
        <translation>会员卡已打印。</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="459"/>
        <source>Manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="460"/>
        <source>Print receipt</source>
        <translation>打印小票</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="463"/>
        <source>Simulate a scan</source>
        <translation>模拟扫描</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <location filename="../../ui/devices_page.py" line="177"/>
        <source>Keyboard-wedge scanner</source>
        <translation>键盘式扫描枪</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="178"/>
        <source>Serial scanner</source>
        <translation>串口扫描枪</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="179"/>
        <source>Port (or auto)</source>
        <translation>端口（或 auto）</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="180"/>
        <location filename="../../ui/devices_page.py" line="185"/>
        <source>Baud rate</source>
        <translation>波特率</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="181"/>
        <source>Line end</source>
        <translation>行尾</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="182"/>
        <source>Camera scanner</source>
        <translation>相机扫描</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="183"/>
        <source>Camera</source>
        <translation>相机</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="185"/>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="185"/>
        <source>Where</source>
        <translation>连接位置</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="186"/>
        <source>Paper (mm)</source>
        <translation>纸宽（mm）</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="186"/>
        <source>Chinese as</source>
        <translation>中文打印方式</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="189"/>
        <source>/dev/usb/lp0, COM3, 04b8:0e28 or 10.0.0.9</source>
        <translation>/dev/usb/lp0、COM3、04b8:0e28 或 10.0.0.9</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="190"/>
        <source>Save and apply</source>
        <translation>保存并应用</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="191"/>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="194"/>
        <source>Not saved: {problem}</source>
        <translation>未保存：{problem}</translation>
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
    <name>ManagerScreen</name>
    <message>
        <location filename="../../ui/screens/manager.py" line="243"/>
        <source>enter the order number to refund</source>
        <translation>请输入要退款的订单号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="256"/>
        <source>scan the member&apos;s card first</source>
        <translation>请先扫描会员卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="261"/>
        <source>points are a whole number, e.g. +50 or -20</source>
        <translation>积分须为整数，例如 +50 或 -20</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="292"/>
        <source>the two PINs were not the same; the manager PIN is unchanged</source>
        <translation>两次输入的密码不一致，店长密码未更改</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="312"/>
        <source>Manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="313"/>
        <source>Enter the manager PIN</source>
        <translation>请输入店长密码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="314"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="315"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="316"/>
        <source>Adjust points</source>
        <translation>调整积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="317"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="318"/>
        <source>Device and sync</source>
        <translation>设备与同步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="319"/>
        <source>Manager PIN</source>
        <translation>店长密码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="321"/>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="324"/>
        <source>Type the new PIN again</source>
        <translation>请再次输入新密码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="325"/>
        <source>Type a new manager PIN ({low} to {high} digits)</source>
        <translation>请输入新的店长密码（{low} 至 {high} 位数字）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="327"/>
        <source>Save the new PIN</source>
        <translation>保存新密码</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="327"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="328"/>
        <source>Order number</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="329"/>
        <location filename="../../ui/screens/manager.py" line="330"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="331"/>
        <source>Points (+/-)</source>
        <translation>积分（+/-）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="332"/>
        <source>Refund the order&apos;s points</source>
        <translation>退回此订单的积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="333"/>
        <source>Record adjustment</source>
        <translation>记录调整</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="334"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="335"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="336"/>
        <source>Ledger address</source>
        <translation>总账地址</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="337"/>
        <source>Check and save the ledger address</source>
        <translation>检查并保存总账地址</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="338"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="340"/>
        <source>Member: {name}, {points} points</source>
        <translation>会员：{name}，{points} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="342"/>
        <source>Scan a member&apos;s card before adjusting points.</source>
        <translation>调整积分前请先扫描会员卡。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="346"/>
        <source>Today at this kiosk (other kiosks and the shop count on their own)</source>
        <translation>本机今日（其他机台与网店另计）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="348"/>
        <source>New members: {n}</source>
        <translation>新会员：{n}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="349"/>
        <source>Sales: {n} rung up, {refunds} refunded; net {amount}</source>
        <translation>销售：结账 {n} 笔，退款 {refunds} 笔；净额 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="353"/>
        <source>Points redeemed: {n} (redemptions: {count})</source>
        <translation>已兑换积分：{n}（兑换 {count} 次）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="352"/>
        <source>Points issued: {n}</source>
        <translation>发放积分：{n}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="356"/>
        <source>Device {device} at {store}</source>
        <translation>设备 {device}，{store}</translation>
    </message>
</context>
<context>
    <name>MemberScreen</name>
    <message>
        <location filename="../../ui/screens/member.py" line="69"/>
        <source>Ring up a sale</source>
        <translation>结账积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="70"/>
        <source>Redeem a reward</source>
        <translation>兑换奖励</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="71"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="72"/>
        <source>Rewards within reach</source>
        <translation>可兑换的奖励</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="73"/>
        <source>Recent activity</source>
        <translation>近期记录</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="80"/>
        <source>Member from another store</source>
        <translation>其他门店的会员</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="81"/>
        <source>Details arrive with sync</source>
        <translation>同步后显示姓名与电话</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="92"/>
        <source>{n} points</source>
        <translation>{n} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="94"/>
        <source>Top tier: thank you!</source>
        <translation>最高等级，感谢您的支持！</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="98"/>
        <source>Spend {amount} more to reach {tier}</source>
        <translation>再消费 {amount} 即可升级为{tier}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="106"/>
        <source>✓ {reward}: {cost} points</source>
        <translation>✓ {reward}：{cost} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="109"/>
        <source>{reward}: {short} more points</source>
        <translation>{reward}：还差 {short} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="112"/>
        <source>No rewards in the catalogue</source>
        <translation>目前没有可兑换的奖励</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="118"/>
        <source>Purchase</source>
        <translation>消费</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="118"/>
        <source>Bonus</source>
        <translation>奖励积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="119"/>
        <source>Reward</source>
        <translation>兑换</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="119"/>
        <source>Adjustment</source>
        <translation>调整</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="120"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="120"/>
        <source>Expired</source>
        <translation>过期</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="121"/>
        <source>Donation</source>
        <translation>捐赠</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="121"/>
        <source>Transfer</source>
        <translation>转移</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="123"/>
        <source>online shop</source>
        <translation>网店</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="125"/>
        <source>this store</source>
        <translation>本店</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/messages.py" line="49"/>
        <source>That is not a Counterpoint membership card.</source>
        <translation>这不是 Counterpoint 会员卡。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="52"/>
        <source>The card could not be read completely. Please scan it again.</source>
        <translation>无法完整读取此卡，请再扫描一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="55"/>
        <source>This card comes from a kiosk this store does not trust yet.</source>
        <translation>此卡由本店尚未信任的终端发行。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="58"/>
        <source>This card failed the security check and cannot be used.</source>
        <translation>此卡未通过安全检查，无法使用。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="61"/>
        <source>This card has been reported lost and is blocked. Please ask the member for their new card.</source>
        <translation>此卡已挂失停用，请向会员索取新卡。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="65"/>
        <source>This card cannot be used.</source>
        <translation>此卡无法使用。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="68"/>
        <source>The card is genuine, but this member is not known here yet. Try again after the kiosk has synced.</source>
        <translation>此卡为真卡，但本机尚无此会员资料，请待同步后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="72"/>
        <source>This member joined at another store and this kiosk has not synced their account yet. Their points can be used once the kiosk is online.</source>
        <translation>这位会员是在其他门店加入的，本机尚未同步其账户。联网后即可使用积分。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="76"/>
        <source>Not enough points for this reward.</source>
        <translation>积分不足，无法兑换此奖励。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="79"/>
        <source>The ledger cannot be reached and this is over the offline limit. Try again when the kiosk is online.</source>
        <translation>目前无法连接总账，且已超过离线上限，请联网后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="83"/>
        <source>This order has already been refunded.</source>
        <translation>此订单已退款。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="86"/>
        <source>No points were recorded for this order number.</source>
        <translation>此订单号没有积分记录。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="89"/>
        <source>A member with this phone number already exists.</source>
        <translation>此手机号码已有会员。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="94"/>
        <source>Please check the input:</source>
        <translation>请检查输入内容：</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="97"/>
        <source>Could not save: the disk is full or not available. Nothing was recorded; please call the manager.</source>
        <translation>无法保存：磁盘已满或不可用。未记录任何数据，请联系店长。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="101"/>
        <source>The central ledger cannot be reached right now.</source>
        <translation>目前无法连接总账。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="104"/>
        <source>Too many wrong PINs. Try again in {n} seconds.</source>
        <translation>密码错误次数过多，请于 {n} 秒后再试。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="108"/>
        <source>Wrong manager PIN.</source>
        <translation>店长密码错误。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="111"/>
        <source>No manager PIN is set on this kiosk (kiosk manager-pin).</source>
        <translation>本机尚未设置店长密码（kiosk manager-pin）。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="114"/>
        <source>That address is a different ledger from the one this kiosk is paired with. Nothing was changed.</source>
        <translation>此地址是另一个总账，不是本机配对的总账。未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="118"/>
        <source>The ledger did not accept this kiosk&apos;s device token. Nothing was changed.</source>
        <translation>总账不接受本机的设备令牌。未做任何更改。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="127"/>
        <source>No receipt printer is set up.</source>
        <translation>尚未设置小票打印机。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="129"/>
        <source>USB printers can&apos;t be used on this machine: the libusb library is missing. Connect the printer another way, or ask a technician.</source>
        <translation>这台机器无法使用 USB 打印机：缺少 libusb 库。请改用其他方式连接打印机，或联系技术人员。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="132"/>
        <source>The receipt printer is not answering. Check that it is switched on, connected and has paper, then try again.</source>
        <translation>小票打印机没有响应。请确认电源已打开、已连接且有纸，然后再试一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="136"/>
        <source>The device is not available:</source>
        <translation>设备不可用：</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="140"/>
        <source>Something went wrong. It has been logged; please try again.</source>
        <translation>出现错误，已记录，请再试一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="148"/>
        <source>The amount must be more than zero.</source>
        <translation>金额必须大于零。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="149"/>
        <source>That amount is over this store&apos;s limit for one sale. Was a product&apos;s barcode scanned into the amount?</source>
        <translation>这个金额超过本店单笔交易的上限。是不是把商品条码扫进了金额栏？</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="152"/>
        <source>Every basket line needs a quantity and a price.</source>
        <translation>购物清单的每一项都需要数量和价格。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="154"/>
        <source>An order number is 1 to 64 characters.</source>
        <translation>订单编号为 1 至 64 个字符。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="156"/>
        <source>This order number was already rung up for another member or amount.</source>
        <translation>此订单编号已用于其他会员或金额结账。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="159"/>
        <source>Please enter the member&apos;s name.</source>
        <translation>请输入会员姓名。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="160"/>
        <source>A name can be at most {max} characters.</source>
        <translation>姓名最多 {max} 个字符。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="162"/>
        <source>That is not a phone number: it needs 6 to 15 digits.</source>
        <translation>这不是有效的电话号码：需要 6 至 15 位数字。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="164"/>
        <source>The member must accept the privacy notice to join.</source>
        <translation>会员须同意隐私声明才能加入。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="166"/>
        <source>A birthday cannot be in the future.</source>
        <translation>生日不能是未来的日期。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="168"/>
        <source>Please give a reason for the adjustment.</source>
        <translation>请填写调整原因。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="170"/>
        <source>An adjustment is 1 to {max} points, up or down.</source>
        <translation>每次调整为增加或扣除 1 至 {max} 积分。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="173"/>
        <source>A manager PIN is {low} to {high} digits.</source>
        <translation>店长密码为 {low} 至 {high} 位数字。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="176"/>
        <source>A ledger address looks like https://ledger.example.com:8470.</source>
        <translation>总账地址的格式如 https://ledger.example.com:8470。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="178"/>
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
    <name>SaleScreen</name>
    <message>
        <location filename="../../ui/screens/sale.py" line="155"/>
        <source>Total {amount}</source>
        <translation>合计 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="156"/>
        <source>Earns {n} points</source>
        <translation>可得 {n} 积分</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="179"/>
        <source>New sale for {name}</source>
        <translation>{name} 的新交易</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="181"/>
        <source>New sale</source>
        <translation>新交易</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="182"/>
        <source>Amount keyed in (added to the scanned items)</source>
        <translation>输入的金额（加在扫描的商品之外）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="183"/>
        <source>Clear amount</source>
        <translation>清除金额</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="184"/>
        <source>Scanned items (tap one to remove it)</source>
        <translation>扫描的商品（点选一项可移除）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="185"/>
        <source>Remove one of this item</source>
        <translation>移除一件此商品</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="186"/>
        <source>Confirm sale</source>
        <translation>确认结账</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="187"/>
        <source>Cancel</source>
        <translation>取消</translation>
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
        <location filename="../../ui/sync_badge.py" line="31"/>
        <source>{state} · {n} waiting</source>
        <translation>{state} · {n} 条待传</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="27"/>
        <source>{n} held back</source>
        <translation>{n} 笔暂留</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="29"/>
        <source>Clock off</source>
        <translation>时钟不准</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="40"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="42"/>
        <source>Last successful sync: {time}</source>
        <translation>上次成功同步：{time}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="43"/>
        <source>Sent {up}, received {down}</source>
        <translation>已发送 {up}，已接收 {down}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="46"/>
        <source>Last error: {error}</source>
        <translation>上次错误：{error}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="50"/>
        <source>This device&apos;s clock is {n} minutes ahead of the ledger&apos;s. Entries are dated by the ledger&apos;s time; please set the clock right.</source>
        <translation>本机时钟比总账快了 {n} 分钟。记录会以总账的时间为准；请把时钟调准。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="54"/>
        <source>This device&apos;s clock is {n} minutes behind the ledger&apos;s. Entries are dated by the ledger&apos;s time; please set the clock right.</source>
        <translation>本机时钟比总账慢了 {n} 分钟。记录会以总账的时间为准；请把时钟调准。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="60"/>
        <source>Held back from the ledger, kept on this kiosk:</source>
        <translation>未送往总账、保留在本机的记录：</translation>
    </message>
</context>
</TS>
