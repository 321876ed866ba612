## Buyer account pages (storefront).

shop-name = Mercato
lang-switch = 中文
nav-account = My account
nav-users = Users
nav-addresses = Addresses
nav-orders = Orders
nav-sign-in = Sign in
nav-sign-out = Sign out
nav-register = Open a business account

acting-banner = You are acting for { $buyer } of { $company }. Everything you do is recorded with your name.
acting-stop = Stop acting

login-title = Sign in
login-email = E-mail
login-password = Password
login-submit = Sign in
login-forgot = Forgot your password?
login-wrong = E-mail or password is wrong.
login-locked = Too many attempts. Try again in { $minutes } minutes.
login-no-account = No business account yet?

account-title = My account
account-company = Company
account-status = Account status
account-roles = Your roles
account-email = E-mail
account-name = Name
status-pending = Awaiting approval: you can set up your account; ordering opens once we have approved it.
status-active = Active
status-on_hold = On hold: you can look, but not change or order. Please contact your sales representative.
role-admin = Administrator
role-buyer = Buyer
role-approver = Approver
role-viewer = Viewer
email-unverified = Your e-mail address is not confirmed yet; please use the link we sent you.

users-title = Users of your company
users-invite = Invite a colleague
users-invite-submit = Send invitation
users-invited = Invitation sent to { $email }.
users-pending = invitation pending
users-disabled = disabled
users-roles = Roles

addresses-title = Address book
addresses-add = Add an address
addresses-label = Label (optional)
addresses-recipient = Recipient
addresses-line1 = Street and number
addresses-line2 = Address line 2 (optional)
addresses-city = City
addresses-region = Region (optional)
addresses-postal-code = Postal code
addresses-country = Country (two letters, e.g. CN, DE)
addresses-phone = Phone (optional)
addresses-save = Save address
addresses-delete = Delete
addresses-default-billing = default billing
addresses-default-shipping = default shipping
addresses-none = No addresses yet.


register-title = Open a business account
register-intro = Tell us about your company. We review every application and e-mail you when your account is approved.
register-company = Company (legal name)
register-country = Country of registration (two letters)
register-vat = VAT or tax number (optional)
register-your-name = Your name
register-submit = Apply
register-done = Thank you. Please confirm your e-mail address with the link we sent to { $email }; we will write again once your company is approved.

verify-title = Confirm your e-mail address
verify-submit = Confirm
verify-done = Thank you: your e-mail address is confirmed.

invite-title = Join your company
invite-intro = Choose a password to activate your account.
invite-submit = Activate my account
invite-done = Your account is active. You can sign in now.

forgot-title = Forgot your password?
forgot-intro = Enter your e-mail address and we will send you a link to choose a new password.
forgot-submit = Send link
forgot-done = If an account uses this address, a link is on its way.

reset-title = Choose a new password
reset-submit = Save password
reset-done = Your password is changed and every other session has ended. You can sign in now.

password-new = New password (at least 10 characters)
link-used = This link was already used. Sign in, or ask for a new one.
link-expired = This link has expired. Ask for a new one.
link-unknown = This link is not valid. Check that you copied all of it.
form-errors = Please correct the fields marked below.
