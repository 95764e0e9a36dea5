from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length

from kiosk.accounts.models import ROLE_LABELS, ROLES
from kiosk.accounts.services import MIN_PASSWORD_LENGTH
from kiosk.forms import Form


class LoginForm(Form):
    name = StringField("用户名", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired(), Length(max=200)])


class UserForm(Form):
    name = StringField("用户名", validators=[DataRequired(), Length(max=64)])
    role = SelectField("角色", choices=[SelectChoice(role, ROLE_LABELS[role]) for role in ROLES])
    password = PasswordField(
        "初始密码", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]
    )


ROLE_CHOICES = [SelectChoice(role, ROLE_LABELS[role]) for role in ROLES]
NEW_PASSWORD = [DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)]


class RoleForm(Form):
    role = SelectField("角色", choices=ROLE_CHOICES)


class PasswordResetForm(Form):
    password = PasswordField("新密码", validators=NEW_PASSWORD)


class ActiveForm(Form):
    active = HiddenField(validators=[AnyOf(["0", "1"])])


class OwnPasswordForm(Form):
    current = PasswordField("原密码", validators=[DataRequired(), Length(max=200)])
    password = PasswordField("新密码", validators=NEW_PASSWORD)
    confirm = PasswordField(
        "再输一遍新密码",
        validators=[DataRequired(), EqualTo("password", "两次输入的新密码不一样。")],
    )
