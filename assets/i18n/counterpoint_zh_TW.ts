<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_TW">
<context>
    <name>AuditTab</name>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="43"/>
        <source>cashier added</source>
        <translation>新增收銀員</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="44"/>
        <source>manager added</source>
        <translation>新增店長</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="45"/>
        <source>staff removed</source>
        <translation>移除員工</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="46"/>
        <source>PIN changed</source>
        <translation>已變更密碼</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="47"/>
        <source>signed in at the counter</source>
        <translation>在櫃檯登入</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="48"/>
        <source>opened the manager screen</source>
        <translation>開啟管理畫面</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="49"/>
        <source>wrong PIN</source>
        <translation>密碼錯誤</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="50"/>
        <source>PIN pads locked after wrong PINs</source>
        <translation>多次密碼錯誤，密碼輸入已鎖定</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="51"/>
        <source>sale above the limit</source>
        <translation>超過限額的銷售</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="52"/>
        <source>refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="53"/>
        <source>lost card replaced</source>
        <translation>遺失補發會員卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="54"/>
        <source>points adjusted</source>
        <translation>調整點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="59"/>
        <source>{when}  {who}: {what}</source>
        <translation>{when}  {who}：{what}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="60"/>
        <source>(set-up)</source>
        <translation>（設定）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="64"/>
        <source>(approved by {name})</source>
        <translation>（核准人：{name}）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="68"/>
        <source>What staff did at this kiosk, newest first</source>
        <translation>本機員工操作紀錄（最新在前）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/audit_tab.py" line="69"/>
        <source>Refresh</source>
        <translation>重新整理</translation>
    </message>
</context>
<context>
    <name>CardScreen</name>
    <message>
        <location filename="../../ui/screens/enrol.py" line="161"/>
        <source>Print card</source>
        <translation>列印會員卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="162"/>
        <source>Continue</source>
        <translation>繼續</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="166"/>
        <source>Welcome, {name}! Card {card}</source>
        <translation>歡迎，{name}！卡號 {card}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="168"/>
        <source>Sign-up bonus: {n} points</source>
        <translation>入會禮：{n} 點</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../../ui/news.py" line="109"/>
        <source>PIN changed. Use the new PIN from now on.</source>
        <translation>密碼已變更，之後請使用新密碼。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="25"/>
        <source>No product has the code {code}.</source>
        <translation>查無條碼 {code} 的商品。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="30"/>
        <source>That is a receipt&apos;s order code: to refund the order, open the manager screen and scan it there.</source>
        <translation>這是收據上的訂單條碼：要退款請開啟店長畫面，在那裡掃描。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="36"/>
        <source>Finish or cancel this step before scanning another card.</source>
        <translation>請先完成或取消此步驟，再掃描其他卡片。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="42"/>
        <source>This sale was already recorded; nothing was added. Balance: {balance}</source>
        <translation>此筆交易已記錄，未重複累點。餘額：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="45"/>
        <source>+{points} points for order {order}. New balance: {balance}</source>
        <translation>訂單 {order} 累積 +{points} 點。新餘額：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="53"/>
        <source>authorised online</source>
        <translation>已線上授權</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="55"/>
        <source>taken offline under the store&apos;s limits</source>
        <translation>依本店離線額度兌換</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="57"/>
        <source>{reward} redeemed ({how}). New balance: {balance}</source>
        <translation>已兌換{reward}（{how}）。新餘額：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="65"/>
        <source>Thank you! {points} points given to {cause}. Balance: {balance}</source>
        <translation>謝謝您！已捐 {points} 點給{cause}。餘額：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="74"/>
        <source>{points} points given to {name}. Balance: {balance}</source>
        <translation>已轉贈 {points} 點給{name}。餘額：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="82"/>
        <source>Order {order} refunded: {points} points. Balance: {balance}</source>
        <translation>訂單 {order} 已退款：{points} 點。餘額：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="87"/>
        <source>Part of order {order} refunded: {points} points. Balance: {balance}</source>
        <translation>訂單 {order} 部分退款：{points} 點。餘額：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="92"/>
        <source>Give back {money}.</source>
        <translation>請退還 {money}。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="98"/>
        <source>Adjustment recorded: {points:+d} points. Balance: {balance}</source>
        <translation>已記錄調整：{points:+d} 點。餘額：{balance}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="104"/>
        <source>Ledger address saved: {address}</source>
        <translation>已儲存總帳位址：{address}</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="114"/>
        <source>Receipt printed.</source>
        <translation>收據已列印。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="122"/>
        <source>No printer is set up: the card was saved as {path}.</source>
        <translation>尚未設定印表機：會員卡已存為 {path}。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="127"/>
        <source>That coupon code could not be read completely. Please scan it again.</source>
        <translation>優惠券條碼未能完整讀取，請再掃描一次。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="132"/>
        <source>New card {card} for {name}: the old card no longer works. Print the new card from the receipt button.</source>
        <translation>{name} 的新卡 {card} 已發出，舊卡已停用。請按收據按鈕列印新卡。</translation>
    </message>
    <message>
        <location filename="../../ui/news.py" line="118"/>
        <source>Card printed.</source>
        <translation>會員卡已列印。</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="381"/>
        <source>Manager</source>
        <translation>店長</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="383"/>
        <source>Print receipt</source>
        <translation>列印收據</translation>
    </message>
    <message>
        <location filename="../../ui/window.py" line="386"/>
        <source>Simulate a scan</source>
        <translation>模擬掃描</translation>
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
        <translation>偽造的會員卡</translation>
    </message>
    <message>
        <location filename="../../kiosk/app/qt.py" line="57"/>
        <source>Not a card</source>
        <translation>不是會員卡</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <location filename="../../ui/devices_page.py" line="185"/>
        <source>Keyboard-wedge scanner</source>
        <translation>鍵盤式掃描器</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="186"/>
        <location filename="../../ui/devices_page.py" line="202"/>
        <source>Serial scanner</source>
        <translation>序列埠掃描器</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="187"/>
        <source>Port (or auto)</source>
        <translation>連接埠（或 auto）</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="188"/>
        <location filename="../../ui/devices_page.py" line="193"/>
        <source>Baud rate</source>
        <translation>鮑率</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="189"/>
        <source>Line end</source>
        <translation>行尾</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="190"/>
        <source>Camera scanner</source>
        <translation>相機掃描</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="191"/>
        <location filename="../../ui/devices_page.py" line="202"/>
        <source>Camera</source>
        <translation>相機</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="193"/>
        <source>Receipt printer</source>
        <translation>收據印表機</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="193"/>
        <source>Where</source>
        <translation>連接位置</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="194"/>
        <source>Paper (mm)</source>
        <translation>紙寬（mm）</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="194"/>
        <source>Chinese as</source>
        <translation>中文列印方式</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="197"/>
        <source>/dev/usb/lp0, COM3, 04b8:0e28 or 10.0.0.9</source>
        <translation>/dev/usb/lp0、COM3、04b8:0e28 或 10.0.0.9</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="199"/>
        <source>Save and apply</source>
        <translation>儲存並套用</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="200"/>
        <source>Print a test page</source>
        <translation>列印測試頁</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="201"/>
        <source>Printer</source>
        <translation>印表機</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="201"/>
        <source>Keyboard wedge</source>
        <translation>鍵盤式掃描器</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="203"/>
        <source>{device}: {state}</source>
        <translation>{device}：{state}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="207"/>
        <source>Not saved: {problem}</source>
        <translation>未儲存：{problem}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="212"/>
        <source>None</source>
        <translation>無</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="212"/>
        <source>File</source>
        <translation>檔案</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="213"/>
        <source>Serial port</source>
        <translation>序列埠</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="213"/>
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="214"/>
        <source>Network</source>
        <translation>網路</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="214"/>
        <source>Image (any printer)</source>
        <translation>圖像（任何印表機）</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="215"/>
        <source>GB18030 text</source>
        <translation>GB18030 文字</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="215"/>
        <source>Big5 text</source>
        <translation>Big5 文字</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="224"/>
        <source>on</source>
        <translation>開啟</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="224"/>
        <source>off</source>
        <translation>關閉</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="224"/>
        <source>starting</source>
        <translation>啟動中</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="225"/>
        <source>no scanner found</source>
        <translation>找不到掃描器</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="226"/>
        <source>no camera is connected</source>
        <translation>未連接相機</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="227"/>
        <source>none</source>
        <translation>無</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="230"/>
        <source>connected {detail}</source>
        <translation>已連接 {detail}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="231"/>
        <source>disconnected: {detail}</source>
        <translation>已中斷連線：{detail}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="232"/>
        <source>unavailable: {detail}</source>
        <translation>無法使用：{detail}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="233"/>
        <source>error: {detail}</source>
        <translation>錯誤：{detail}</translation>
    </message>
    <message>
        <location filename="../../ui/devices_page.py" line="233"/>
        <source>on {detail}</source>
        <translation>開啟：{detail}</translation>
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
        <translation>捐點數做公益</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="134"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="136"/>
        <source>Available: {n} points</source>
        <translation>可用：{n} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="141"/>
        <source>{cause}
from {n} points</source>
        <translation>{cause}
{n} 點起</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="150"/>
        <source>{n} points</source>
        <translation>{n} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="154"/>
        <source>Choose a cause, then how many points to give.</source>
        <translation>請選擇捐贈對象，再選擇要捐的點數。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="155"/>
        <source>Give points</source>
        <translation>捐出點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="157"/>
        <source>From {low} to {high} points: tap − or + to change how many.</source>
        <translation>可捐 {low} 到 {high} 點：按 − 或 + 調整。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/donate.py" line="159"/>
        <source>Give {n} points to {cause}</source>
        <translation>捐 {n} 點給{cause}</translation>
    </message>
</context>
<context>
    <name>EnrolScreen</name>
    <message>
        <location filename="../../ui/screens/enrol.py" line="94"/>
        <source>the birthday is not a date (YYYY-MM-DD)</source>
        <translation>生日格式不正確（YYYY-MM-DD）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="110"/>
        <source>Become a member</source>
        <translation>加入會員</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="111"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="112"/>
        <source>Mobile phone</source>
        <translation>手機號碼</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="113"/>
        <source>Birthday (optional)</source>
        <translation>生日（選填）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="114"/>
        <source>Referred by</source>
        <translation>推薦人</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="116"/>
        <source>scan the referring member&apos;s card</source>
        <translation>請掃描推薦會員的卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="118"/>
        <source>Privacy notice: we keep your name, phone number and birthday to run the loyalty programme and never sell them. Ask at the counter to see or delete your data.</source>
        <translation>隱私權聲明：我們保存您的姓名、手機號碼與生日，僅用於會員回饋計畫，絕不出售。如需查閱或刪除資料，請洽櫃檯。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="120"/>
        <source>I have read and accept the privacy notice</source>
        <translation>我已閱讀並同意隱私權聲明</translation>
    </message>
    <message>
        <location filename="../../ui/screens/enrol.py" line="121"/>
        <source>Join and issue my card</source>
        <translation>加入並發卡</translation>
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
        <translation>請掃描您的會員卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/idle.py" line="35"/>
        <source>New member? Join here</source>
        <translation>新會員？請由此加入</translation>
    </message>
</context>
<context>
    <name>LoyaltyPanel</name>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="123"/>
        <source>{n} points</source>
        <translation>{n} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="135"/>
        <source>No reward</source>
        <translation>不使用獎勵</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="138"/>
        <source>{reward} ({cost} points)</source>
        <translation>{reward}（{cost} 點）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="140"/>
        <source>No coupon</source>
        <translation>不使用優惠券</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="143"/>
        <source>Scanned coupon</source>
        <translation>掃描的優惠券</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="151"/>
        <source>Most</source>
        <translation>最多</translation>
    </message>
    <message>
        <location filename="../../ui/screens/loyalty_panel.py" line="152"/>
        <source>Pay with points:</source>
        <translation>點數折抵：</translation>
    </message>
</context>
<context>
    <name>ManagerScreen</name>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="54"/>
        <source>scan the member&apos;s card first</source>
        <translation>請先掃描會員卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="60"/>
        <source>points are a whole number, e.g. +50 or -20</source>
        <translation>點數須為整數，例如 +50 或 -20</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_tab.py" line="63"/>
        <source>the two PINs were not the same; the manager PIN is unchanged</source>
        <translation>兩次輸入的密碼不一致，店長密碼未更改</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="179"/>
        <source>Manager</source>
        <translation>店長</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="182"/>
        <source>Unlock</source>
        <translation>解鎖</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="183"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="184"/>
        <source>Adjust points</source>
        <translation>調整點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="185"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="186"/>
        <source>Device and sync</source>
        <translation>裝置與同步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="190"/>
        <source>Hardware</source>
        <translation>硬體</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="191"/>
        <source>Lost card</source>
        <translation>遺失補卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_tab.py" line="76"/>
        <source>Type the new PIN again</source>
        <translation>請再次輸入新密碼</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_tab.py" line="81"/>
        <source>Save the new PIN</source>
        <translation>儲存新密碼</translation>
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
        <translation>點數（+/-）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="76"/>
        <source>Record adjustment</source>
        <translation>記錄調整</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="39"/>
        <source>Refresh</source>
        <translation>重新整理</translation>
    </message>
    <message>
        <location filename="../../ui/screens/device_tab.py" line="68"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../ui/screens/device_tab.py" line="69"/>
        <source>Ledger address</source>
        <translation>總帳位址</translation>
    </message>
    <message>
        <location filename="../../ui/screens/device_tab.py" line="70"/>
        <source>Check and save the ledger address</source>
        <translation>檢查並儲存總帳位址</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="193"/>
        <source>Close</source>
        <translation>關閉</translation>
    </message>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="78"/>
        <source>Member: {name}, {points} points</source>
        <translation>會員：{name}，{points} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/adjust_tab.py" line="80"/>
        <source>Scan a member&apos;s card before adjusting points.</source>
        <translation>調整點數前請先掃描會員卡。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="44"/>
        <source>Today at this kiosk (other kiosks and the shop count on their own)</source>
        <translation>本機今日（其他機台與網店另計）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="47"/>
        <source>New members: {n}</source>
        <translation>新會員：{n}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="49"/>
        <source>Sales: {n} rung up, {refunds} refunded; net {amount}</source>
        <translation>銷售：結帳 {n} 筆，退款 {refunds} 筆；淨額 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="54"/>
        <source>Points redeemed: {n} (redemptions: {count})</source>
        <translation>已兌換點數：{n}（兌換 {count} 次）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/today_tab.py" line="52"/>
        <source>Points issued: {n}</source>
        <translation>發出點數：{n}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="180"/>
        <source>Managers: tap your name, then type your PIN</source>
        <translation>店長：請點選您的名字，再輸入密碼</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="187"/>
        <source>My PIN</source>
        <translation>我的密碼</translation>
    </message>
    <message>
        <location filename="../../ui/screens/manager.py" line="188"/>
        <source>Staff trail</source>
        <translation>員工紀錄</translation>
    </message>
    <message>
        <location filename="../../ui/screens/pin_tab.py" line="77"/>
        <source>{name}, type your new PIN ({low} to {high} digits)</source>
        <translation>{name}，請輸入新密碼（{low} 至 {high} 位數字）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/device_tab.py" line="73"/>
        <source>Device {device} at {store}</source>
        <translation>裝置 {device}，{store}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="75"/>
        <source>New card {card} for {name}; cancelled: {old}. Balance: {points} points.</source>
        <translation>已為 {name} 發出新卡 {card}；已停用：{old}。餘額：{points} 點。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="88"/>
        <source>The member&apos;s phone number, or the lost card&apos;s number:</source>
        <translation>會員的手機號碼，或遺失卡片的卡號：</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="90"/>
        <source>0912-345-678 or the card number</source>
        <translation>0912-345-678 或卡號</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="92"/>
        <source>Find</source>
        <translation>搜尋</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="93"/>
        <source>Cancel their cards and issue a new one</source>
        <translation>停用舊卡並發出新卡</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="98"/>
        <source>{name} ({phone}) · cards {cards} · {points} points</source>
        <translation>{name}（{phone}）· 卡號 {cards} · {points} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/lost_card_tab.py" line="105"/>
        <source>No member found.</source>
        <translation>查無會員。</translation>
    </message>
</context>
<context>
    <name>MemberScreen</name>
    <message>
        <location filename="../../ui/screens/member.py" line="110"/>
        <source>Ring up a sale</source>
        <translation>結帳集點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="111"/>
        <source>Redeem a reward</source>
        <translation>兌換獎勵</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="112"/>
        <source>Donate points</source>
        <translation>捐贈點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="113"/>
        <source>Give points</source>
        <translation>轉贈點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="114"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="115"/>
        <source>Rewards within reach</source>
        <translation>可兌換的獎勵</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="116"/>
        <source>Recent activity</source>
        <translation>近期紀錄</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="123"/>
        <source>Member from another store</source>
        <translation>其他門市的會員</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="124"/>
        <source>Details arrive with sync</source>
        <translation>同步後顯示姓名與電話</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="135"/>
        <source>{n} points</source>
        <translation>{n} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="138"/>
        <source>Today: {offers}</source>
        <translation>今日優惠：{offers}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="148"/>
        <source>Top tier: thank you!</source>
        <translation>最高等級，感謝您的支持！</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="152"/>
        <source>Earn {points} more points to reach {tier}</source>
        <translation>再賺 {points} 點即可升級為{tier}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="156"/>
        <source>Spend {amount} more to reach {tier}</source>
        <translation>再消費 {amount} 即可升級為{tier}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="165"/>
        <source>✓ {reward}: {cost} points</source>
        <translation>✓ {reward}：{cost} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="168"/>
        <source>{reward}: {short} more points</source>
        <translation>{reward}：還差 {short} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="171"/>
        <source>No rewards in the catalogue</source>
        <translation>目前沒有可兌換的獎勵</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="184"/>
        <source>{tier} until {date}</source>
        <translation>{tier}會員資格至 {date}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="187"/>
        <source>{tier} until {date}; earn {n} more points this year to keep it</source>
        <translation>{tier}會員資格至 {date}；今年再賺 {n} 點即可續保</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="189"/>
        <source>{tier} until {date}; earn {n} more points to keep it</source>
        <translation>{tier}會員資格至 {date}；再賺 {n} 點即可續保</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="191"/>
        <source>{tier} until {date}; spend {n} more this year to keep it</source>
        <translation>{tier}會員資格至 {date}；今年再消費 {n} 即可續保</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="192"/>
        <source>{tier} until {date}; spend {n} more to keep it</source>
        <translation>{tier}會員資格至 {date}；再消費 {n} 即可續保</translation>
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
        <translation>優惠券：{coupons}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="226"/>
        <source>{n} available now</source>
        <translation>{n} 點現在可用</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="228"/>
        <source>{n} pending until {date}</source>
        <translation>{n} 點 {date} 起可用</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="230"/>
        <source>{n} expire on {date}</source>
        <translation>{n} 點 {date} 到期</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="234"/>
        <source>Purchase</source>
        <translation>消費</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="234"/>
        <source>Bonus</source>
        <translation>獎勵點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="235"/>
        <source>Reward</source>
        <translation>兌換</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="235"/>
        <source>Adjustment</source>
        <translation>調整</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="236"/>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="236"/>
        <source>Expired</source>
        <translation>到期</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="237"/>
        <source>Donation</source>
        <translation>捐贈</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="239"/>
        <source>Points received</source>
        <translation>受贈點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="240"/>
        <source>Points given</source>
        <translation>轉贈點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="242"/>
        <source>online shop</source>
        <translation>網路商店</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="244"/>
        <source>the program</source>
        <translation>會員方案</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="246"/>
        <source>this store</source>
        <translation>本店</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="254"/>
        <source>{card}  {n} stamps</source>
        <translation>{card}  {n} 個印章</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="271"/>
        <source>Birthday bonus</source>
        <translation>生日禮點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="272"/>
        <source>First purchase bonus</source>
        <translation>首購禮點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="273"/>
        <source>Referral bonus</source>
        <translation>推薦禮點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/member.py" line="274"/>
        <source>Welcome bonus</source>
        <translation>入會禮點數</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../ui/messages.py" line="103"/>
        <source>That is not a Counterpoint membership card.</source>
        <translation>這不是 Counterpoint 會員卡。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="105"/>
        <source>The card could not be read completely. Please scan it again.</source>
        <translation>無法完整讀取此卡，請再掃描一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="107"/>
        <source>This card comes from a kiosk this store does not trust yet.</source>
        <translation>此卡由本店尚未信任的機台發行。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="109"/>
        <source>This card failed the security check and cannot be used.</source>
        <translation>此卡未通過安全檢查，無法使用。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="111"/>
        <source>This card has been reported lost and is blocked. Please ask the member for their new card.</source>
        <translation>此卡已掛失停用，請向會員索取新卡。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="122"/>
        <source>This card cannot be used.</source>
        <translation>此卡無法使用。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="125"/>
        <source>The card is genuine, but this member is not known here yet. Try again after the kiosk has synced.</source>
        <translation>此卡為真卡，但本機尚無此會員資料，請待同步後再試。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="128"/>
        <source>This member joined at another store and this kiosk has not synced their account yet. Their points can be used once the kiosk is online.</source>
        <translation>這位會員是在其他門市加入的，本機尚未同步其帳戶。連線後即可使用點數。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="135"/>
        <source>The ledger cannot be reached and this is over the offline limit. Try again when the kiosk is online.</source>
        <translation>目前無法連線總帳，且已超過離線上限，請於連線後再試。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="138"/>
        <source>This order has already been refunded.</source>
        <translation>此訂單已退款。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="140"/>
        <source>No points were recorded for this order number.</source>
        <translation>此訂單編號沒有點數紀錄。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="145"/>
        <source>A member with this phone number already exists.</source>
        <translation>此手機號碼已有會員。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="65"/>
        <source>Please check the input:</source>
        <translation>請檢查輸入內容：</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="200"/>
        <source>Could not save: the disk is full or not available. Nothing was recorded; please call the manager.</source>
        <translation>無法儲存：磁碟已滿或無法使用。未記錄任何資料，請聯絡店長。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="209"/>
        <source>The central ledger cannot be reached right now.</source>
        <translation>目前無法連線總帳。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="92"/>
        <source>Too many wrong PINs. Try again in {n} seconds.</source>
        <translation>密碼錯誤次數過多，請於 {n} 秒後再試。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="157"/>
        <source>Wrong PIN.</source>
        <translation>密碼錯誤。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="57"/>
        <source>No manager is set up on this kiosk: set one with `kiosk manager-pin PIN` or `kiosk staff add NAME --role manager --pin PIN`.</source>
        <translation>本機尚未設定店長：請用 `kiosk manager-pin 密碼` 或 `kiosk staff add 名字 --role manager --pin 密碼` 設定。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="70"/>
        <source>This coupon has already been used.</source>
        <translation>此優惠券已使用過。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="71"/>
        <source>This coupon can&apos;t be used yet: a coupon works from the next visit on.</source>
        <translation>此優惠券尚不能使用：優惠券自下次消費起適用。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="73"/>
        <source>This coupon has expired.</source>
        <translation>此優惠券已過期。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="74"/>
        <source>The basket is below this coupon&apos;s minimum spend.</source>
        <translation>消費金額未達此優惠券的最低消費。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="76"/>
        <source>This coupon&apos;s free item is not in the basket.</source>
        <translation>此優惠券的免費商品不在購物清單中。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="78"/>
        <source>This coupon belongs to another member.</source>
        <translation>此優惠券屬於其他會員。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="80"/>
        <source>This coupon can only be checked while the kiosk is online.</source>
        <translation>此優惠券須在本機連線時才能確認。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="82"/>
        <source>This coupon was withdrawn when its order was refunded.</source>
        <translation>此優惠券的原訂單已退款，優惠券已作廢。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="84"/>
        <source>This coupon is no longer part of the program.</source>
        <translation>此優惠券已不在會員方案中。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="87"/>
        <source>This coupon is not known for this member.</source>
        <translation>查無此會員的這張優惠券。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="114"/>
        <source>Card {card} was already replaced: the member&apos;s card now is {current}. To replace that one, search by it or by their phone number.</source>
        <translation>卡號 {card} 已補發過新卡：會員目前的卡是 {current}。若要補發這張，請以它的卡號或會員的手機號碼查詢。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="118"/>
        <source>Card {card} was already replaced, and the member holds no card now: search by their phone number to issue one.</source>
        <translation>卡號 {card} 已補發過新卡，會員目前沒有有效的卡：請以會員的手機號碼查詢以發出新卡。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="131"/>
        <source>The member doesn&apos;t have enough points available for this.</source>
        <translation>會員可用點數不足。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="133"/>
        <source>This cause is no longer in the program: please choose another.</source>
        <translation>此公益項目已不在方案中，請選擇其他項目。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="142"/>
        <source>This receipt is from {channel}: the order is refunded there.</source>
        <translation>此收據來自 {channel}：請在該處辦理退款。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="148"/>
        <source>Points can move between members only while the ledger can be reached. Nothing was changed; try again when the kiosk is online.</source>
        <translation>點數只能在連得上總帳時於會員之間轉贈。沒有任何變更；請在本機連線後再試一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="153"/>
        <source>That many points can&apos;t pay for this bill: see the limit on screen.</source>
        <translation>這筆消費無法折抵這麼多點數，請看畫面上的上限。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="159"/>
        <source>Only a manager can do this.</source>
        <translation>只有店長可以執行此操作。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="161"/>
        <source>This person is no longer on this kiosk&apos;s staff.</source>
        <translation>此人已不是本機的員工。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="163"/>
        <source>A sale this large needs a manager&apos;s approval.</source>
        <translation>這麼大額的銷售需要店長核准。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="165"/>
        <source>This member&apos;s points were adjusted at this kiosk today as far as the program allows. Nothing was changed.</source>
        <translation>此會員今天在本機的點數調整已達方案允許的上限，未做任何變更。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="169"/>
        <source>That address is a different ledger from the one this kiosk is paired with. Nothing was changed.</source>
        <translation>此位址是另一個總帳，不是本機配對的總帳。未做任何變更。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="194"/>
        <source>The ledger did not accept this kiosk&apos;s device token. Nothing was changed.</source>
        <translation>總帳不接受本機的裝置權杖。未做任何變更。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="204"/>
        <source>The ledger did not answer: the points may have moved or not. Tap the button again to finish this same transfer; it is never given twice.</source>
        <translation>總帳沒有回應：點數可能已經轉出，也可能沒有。請再按一次按鈕，完成同一筆轉贈；絕不會轉贈兩次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="215"/>
        <source>No receipt printer is set up.</source>
        <translation>尚未設定收據印表機。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="217"/>
        <source>USB printers can&apos;t be used on this machine: the libusb library is missing. Connect the printer another way, or ask a technician.</source>
        <translation>這台機器無法使用 USB 印表機：缺少 libusb 函式庫。請改用其他方式連接印表機，或洽詢技術人員。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="220"/>
        <source>The receipt printer is not answering. Check that it is switched on, connected and has paper, then try again.</source>
        <translation>收據印表機沒有回應。請確認電源已開啟、已連接且有紙，然後再試一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="224"/>
        <source>The device is not available:</source>
        <translation>裝置無法使用：</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="228"/>
        <source>Something went wrong. It has been logged; please try again.</source>
        <translation>發生錯誤，已記錄，請再試一次。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="236"/>
        <source>The amount must be more than zero.</source>
        <translation>金額必須大於零。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="237"/>
        <source>That amount is over this store&apos;s limit for one sale. Was a product&apos;s barcode scanned into the amount?</source>
        <translation>這個金額超過本店單筆交易的上限。是不是把商品條碼掃進了金額欄？</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="240"/>
        <source>Every basket line needs a quantity and a price.</source>
        <translation>購物清單的每一項都需要數量和價格。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="242"/>
        <source>An order number is 1 to 64 characters.</source>
        <translation>訂單編號為 1 至 64 個字元。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="244"/>
        <source>This order number was already rung up for another member or amount.</source>
        <translation>此訂單編號已用於其他會員或金額結帳。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="247"/>
        <source>Please enter the member&apos;s name.</source>
        <translation>請輸入會員姓名。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="248"/>
        <source>A name can be at most {max} characters.</source>
        <translation>姓名最多 {max} 個字元。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="250"/>
        <source>That is not a phone number: it needs 6 to 15 digits.</source>
        <translation>這不是有效的電話號碼：需要 6 至 15 位數字。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="252"/>
        <source>The member must accept the privacy notice to join.</source>
        <translation>會員須同意隱私權聲明才能加入。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="254"/>
        <source>A birthday cannot be in the future.</source>
        <translation>生日不能是未來的日期。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="256"/>
        <source>Please give a reason for the adjustment.</source>
        <translation>請填寫調整原因。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="258"/>
        <source>An adjustment is 1 to {max} points, up or down.</source>
        <translation>每次調整為增加或扣除 1 至 {max} 點。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="261"/>
        <source>That many points can&apos;t be given to this cause: at least its minimum, at most {max}.</source>
        <translation>此點數無法捐給這個公益項目：至少為其最低點數，最多 {max} 點。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="264"/>
        <source>These points can&apos;t be given: a member gives to another member, within the store&apos;s limits for one transfer (shown on screen).</source>
        <translation>無法轉贈這些點數：只能轉贈給其他會員，且每次須在本店的轉贈上下限之內（見畫面）。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="267"/>
        <source>A manager PIN is {low} to {high} digits.</source>
        <translation>店長密碼為 {low} 至 {high} 位數字。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="270"/>
        <source>A ledger address looks like https://ledger.example.com:8470.</source>
        <translation>總帳位址的格式如 https://ledger.example.com:8470。</translation>
    </message>
    <message>
        <location filename="../../ui/messages.py" line="272"/>
        <source>This contains a control character (an invisible code such as NUL). Please type it again.</source>
        <translation>內容含有控制字元（例如 NUL 這類看不見的代碼），請重新輸入。</translation>
    </message>
</context>
<context>
    <name>RedeemScreen</name>
    <message>
        <location filename="../../ui/screens/redeem.py" line="77"/>
        <source>Redeem a reward</source>
        <translation>兌換獎勵</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="78"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="79"/>
        <source>Confirm</source>
        <translation>確認</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="81"/>
        <source>Balance: {n} points</source>
        <translation>餘額：{n} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="86"/>
        <source>{reward}
{cost} points</source>
        <translation>{reward}
{cost} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="93"/>
        <source>Choose a reward the member can afford.</source>
        <translation>請選擇會員點數足夠的獎勵。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/redeem.py" line="95"/>
        <source>Redeem {reward} for {cost} points?</source>
        <translation>以 {cost} 點兌換{reward}？</translation>
    </message>
</context>
<context>
    <name>RefundLinePage</name>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="60"/>
        <source>Amount keyed in</source>
        <translation>手動輸入金額</translation>
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
        <translation>訂單 {order}：每項退回幾件？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="78"/>
        <source>{left} of {quantity} left · {price} each</source>
        <translation>共 {quantity} 件，剩 {left} 件可退 · 單價 {price}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="80"/>
        <source>All {quantity} refunded</source>
        <translation>{quantity} 件皆已退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_line_page.py" line="86"/>
        <source>Money to give back: {amount}</source>
        <translation>應退還金額：{amount}</translation>
    </message>
</context>
<context>
    <name>RefundOrderList</name>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="126"/>
        <source>{points} points</source>
        <translation>{points} 點</translation>
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
        <translation>{name} 在本機的近期訂單：點選一筆</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="140"/>
        <source>Recent orders at this kiosk: tap one</source>
        <translation>本機近期訂單：點選一筆</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="141"/>
        <source>No sales to refund here. A receipt&apos;s order number can be typed instead.</source>
        <translation>這裡沒有可退款的銷售。也可輸入收據上的訂單編號。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_order_list.py" line="144"/>
        <source>Order number</source>
        <translation>訂單編號</translation>
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
        <translation>確定退款</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="63"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="73"/>
        <source>Refund the rest of order {order} for {name}?</source>
        <translation>要為 {name} 退還訂單 {order} 的其餘部分嗎？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="74"/>
        <source>Refund the rest of order {order}?</source>
        <translation>要退還訂單 {order} 的其餘部分嗎？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="76"/>
        <source>Refund part of order {order} for {name}?</source>
        <translation>要為 {name} 部分退款訂單 {order} 嗎？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="77"/>
        <source>Refund part of order {order}?</source>
        <translation>要部分退款訂單 {order} 嗎？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="79"/>
        <source>Refund order {order}?</source>
        <translation>要為訂單 {order} 退款嗎？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="81"/>
        <source>Refund order {order} of {amount} for {name}?</source>
        <translation>要為 {name} 的訂單 {order}（{amount}）退款嗎？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="82"/>
        <source>Refund order {order} of {amount}?</source>
        <translation>要為訂單 {order}（{amount}）退款嗎？</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="90"/>
        <source>Money to give back: {amount}</source>
        <translation>應退還金額：{amount}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="95"/>
        <source>Every point the order moved goes back.</source>
        <translation>此訂單異動的點數將全數退回。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="96"/>
        <source>The member&apos;s points don&apos;t change</source>
        <translation>會員點數不變</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="97"/>
        <source>Takes {points} points back from the member</source>
        <translation>從會員扣回 {points} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="99"/>
        <source>Gives {points} points back to the member</source>
        <translation>退還會員 {points} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/refund_question.py" line="103"/>
        <source>Rung up {when}</source>
        <translation>結帳時間：{when}</translation>
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
        <translation>總計 {amount}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="180"/>
        <source>Earns {n} points</source>
        <translation>可得 {n} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="191"/>
        <source>{card} +{n}</source>
        <translation>{card} +{n} 個印章</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="194"/>
        <source>Coupon: {coupon}</source>
        <translation>優惠券：{coupon}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="239"/>
        <source>To pay {amount} (of {total})</source>
        <translation>應付 {amount}（原價 {total}）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="277"/>
        <source>Checking the coupon…</source>
        <translation>正在確認優惠券…</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="299"/>
        <source>{n} points</source>
        <translation>{n} 點</translation>
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
        <translation>輸入的金額（加在掃描的商品之外）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="352"/>
        <source>Clear amount</source>
        <translation>清除金額</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="353"/>
        <source>Scanned items (tap one to remove it)</source>
        <translation>掃描的商品（點選一項可移除）</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="354"/>
        <source>Remove one of this item</source>
        <translation>移除一件此商品</translation>
    </message>
    <message>
        <location filename="../../ui/screens/sale.py" line="355"/>
        <source>Confirm sale</source>
        <translation>確認結帳</translation>
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
        <translation>現在由誰當班？</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="53"/>
        <source>Tap your name, then type your PIN.</source>
        <translation>請點選您的名字，再輸入密碼。</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="55"/>
        <location filename="../../ui/staff_steps.py" line="143"/>
        <source>Sign in</source>
        <translation>登入</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="104"/>
        <source>A manager&apos;s approval</source>
        <translation>店長核准</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="105"/>
        <source>A sale of {amount} is above {limit}: a manager taps their name and types their PIN to approve it.</source>
        <translation>這筆 {amount} 的銷售超過 {limit}：請店長點選名字並輸入密碼核准。</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="109"/>
        <source>Approve the sale</source>
        <translation>核准這筆銷售</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="122"/>
        <source>{name} is at the counter: what happens here now is in their name.</source>
        <translation>{name} 正在當班：此後的操作都記在其名下。</translation>
    </message>
    <message>
        <location filename="../../ui/staff_steps.py" line="141"/>
        <source>Cashier: {name}</source>
        <translation>收銀員：{name}</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../ui/sync_badge.py" line="20"/>
        <source>Not paired with a ledger: working offline only.</source>
        <translation>未連結總帳：僅離線作業。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="21"/>
        <source>Online</source>
        <translation>已連線</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="22"/>
        <source>Offline</source>
        <translation>離線</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="23"/>
        <source>Connecting…</source>
        <translation>連線中…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="34"/>
        <source>{state} · {n} waiting</source>
        <translation>{state} · {n} 筆待傳</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="28"/>
        <source>{n} held back</source>
        <translation>{n} 筆暫留</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="30"/>
        <source>Clock off</source>
        <translation>時鐘不準</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="31"/>
        <source>Update needed</source>
        <translation>需要更新</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="43"/>
        <source>never</source>
        <translation>從未</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="45"/>
        <source>Last successful sync: {time}</source>
        <translation>上次成功同步：{time}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="46"/>
        <source>Sent {up}, received {down}</source>
        <translation>已傳送 {up}，已接收 {down}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="49"/>
        <source>Last error: {error}</source>
        <translation>上次錯誤：{error}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="53"/>
        <source>This device&apos;s clock is {n} minutes ahead of the ledger&apos;s. Entries are dated by the ledger&apos;s time; please set the clock right.</source>
        <translation>本機時鐘比總帳快了 {n} 分鐘。紀錄會以總帳的時間為準；請把時鐘調正確。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="57"/>
        <source>This device&apos;s clock is {n} minutes behind the ledger&apos;s. Entries are dated by the ledger&apos;s time; please set the clock right.</source>
        <translation>本機時鐘比總帳慢了 {n} 分鐘。紀錄會以總帳的時間為準；請把時鐘調正確。</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="63"/>
        <source>This kiosk can&apos;t read part of what the ledger sent and keeps what it had; please update this kiosk:</source>
        <translation>本機無法讀取總帳傳來的部分內容，將沿用原有設定；請更新本機程式：</translation>
    </message>
    <message>
        <location filename="../../ui/sync_badge.py" line="69"/>
        <source>Held back from the ledger, kept on this kiosk:</source>
        <translation>未送往總帳、保留在本機的紀錄：</translation>
    </message>
</context>
<context>
    <name>TransferScreen</name>
    <message>
        <location filename="../../ui/screens/transfer.py" line="201"/>
        <source>Member from another store</source>
        <translation>其他門市的會員</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="205"/>
        <source>Give points to another member</source>
        <translation>轉贈點數給其他會員</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="207"/>
        <source>Available: not known until the transfer is tapped again</source>
        <translation>可用：再按一次轉贈後才知道</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="209"/>
        <source>Available: {n} points</source>
        <translation>可用：{n} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="210"/>
        <source>Scan their card, or find them by phone:</source>
        <translation>掃描對方的會員卡，或以電話查詢：</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="211"/>
        <source>Phone number</source>
        <translation>電話號碼</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="212"/>
        <source>Find by phone</source>
        <translation>以電話查詢</translation>
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
        <translation>給：{name}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="230"/>
        <source>{n} points</source>
        <translation>{n} 點</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="235"/>
        <source>Give points</source>
        <translation>轉贈點數</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="237"/>
        <source>Give {n} points to {name}</source>
        <translation>轉贈 {n} 點給{name}</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="245"/>
        <source>The member giving the points can&apos;t receive them: scan or find another member.</source>
        <translation>轉贈點數的會員不能自己接收：請掃描或查詢另一位會員。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="248"/>
        <source>No member here has this phone number or card number.</source>
        <translation>本店沒有使用此電話號碼或卡號的會員。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="250"/>
        <source>Several members have this phone number: tap the one who receives the points.</source>
        <translation>有多位會員使用此電話號碼：請點選接收點數的會員。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="253"/>
        <source>First who receives the points, then how many.</source>
        <translation>先選接收點數的會員，再選點數。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="255"/>
        <source>Too few points available: one transfer is at least {n} points.</source>
        <translation>可用點數不足：每次轉贈至少 {n} 點。</translation>
    </message>
    <message>
        <location filename="../../ui/screens/transfer.py" line="257"/>
        <source>From {low} to {high} points: tap − or + to change how many.</source>
        <translation>{low} 至 {high} 點：點 − 或 + 調整點數。</translation>
    </message>
</context>
</TS>
