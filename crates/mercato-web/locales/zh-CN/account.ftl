## 买家账户页面（商城）。

shop-name = Mercato
lang-switch = English
nav-account = 我的账户
nav-users = 用户
nav-addresses = 地址
nav-orders = 订单
nav-sign-in = 登录
nav-sign-out = 退出
nav-register = 开通企业账户

acting-banner = 您正在代表 { $company } 的 { $buyer } 操作。您的所有操作都会以您的名义记录。
acting-stop = 结束代客操作

login-title = 登录
login-email = 电子邮箱
login-password = 密码
login-submit = 登录
login-forgot = 忘记密码？
login-wrong = 电子邮箱或密码错误。
login-locked = 尝试次数过多，请在 { $minutes } 分钟后再试。
login-no-account = 还没有企业账户？

account-title = 我的账户
account-company = 公司
account-status = 账户状态
account-roles = 您的角色
account-email = 电子邮箱
account-name = 姓名
status-pending = 待审核：您可以先设置账户，审核通过后即可下单。
status-active = 正常
status-on_hold = 已冻结：您可以浏览，但不能修改或下单。请联系您的销售代表。
role-admin = 管理员
role-buyer = 采购员
role-approver = 审批人
role-viewer = 查看者
email-unverified = 您的电子邮箱尚未确认，请点击我们发送的链接。

users-title = 公司用户
users-invite = 邀请同事
users-invite-submit = 发送邀请
users-invited = 已向 { $email } 发送邀请。
users-pending = 待接受邀请
users-disabled = 已停用
users-roles = 角色

addresses-title = 地址簿
addresses-add = 添加地址
addresses-label = 标签（选填）
addresses-recipient = 收件人
addresses-line1 = 街道门牌
addresses-line2 = 地址第二行（选填）
addresses-city = 城市
addresses-region = 省份/地区（选填）
addresses-postal-code = 邮政编码
addresses-country = 国家（两位字母，如 CN、DE）
addresses-phone = 电话（选填）
addresses-save = 保存地址
addresses-delete = 删除
addresses-default-billing = 默认开票地址
addresses-default-shipping = 默认收货地址
addresses-none = 暂无地址。


register-title = 开通企业账户
register-intro = 请填写贵公司信息。我们会审核每一份申请，审核通过后通过电子邮件通知您。
register-company = 公司名称（法定名称）
register-country = 注册国家（两位字母）
register-vat = 税号/统一社会信用代码（选填）
register-your-name = 您的姓名
register-submit = 提交申请
register-done = 谢谢！请点击我们发送到 { $email } 的链接确认电子邮箱；贵公司审核通过后我们会再通知您。

verify-title = 确认电子邮箱
verify-submit = 确认
verify-done = 谢谢，您的电子邮箱已确认。

invite-title = 加入贵公司
invite-intro = 请设置密码以激活账户。
invite-submit = 激活账户
invite-done = 您的账户已激活，现在可以登录。

forgot-title = 忘记密码？
forgot-intro = 请输入电子邮箱，我们将发送设置新密码的链接。
forgot-submit = 发送链接
forgot-done = 如果该邮箱已注册，链接已发出。

reset-title = 设置新密码
reset-submit = 保存密码
reset-done = 密码已修改，其他登录会话均已结束。现在可以登录。

password-new = 新密码（至少 10 个字符）
link-used = 此链接已被使用。请登录，或申请新的链接。
link-expired = 此链接已过期，请申请新的链接。
link-unknown = 此链接无效，请检查是否完整复制。
form-errors = 请更正下方标出的字段。
