from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

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
