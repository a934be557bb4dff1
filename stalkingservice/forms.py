"""One base form for the whole product: crispy layout, plain-English required messages,
and hints rendered under labels. Every form in every app inherits from these."""

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm


def _required_message(field_name: str, field) -> str:
    label = (field.label or field_name.replace("_", " ")).rstrip("?").strip()
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField):
        return f"Select {label[0].lower() + label[1:]}"
    if isinstance(field, forms.FileField):
        return f"Choose a file for {label[0].lower() + label[1:]}"
    return f"Enter {label[0].lower() + label[1:]}"


class BaseFormMixin:
    """Adds the crispy helper and plain-English required-field messages."""

    layout = None  # a crispy Layout, declared on the subclass when the default won't do

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if (
                "required" not in field.error_messages
                or field.error_messages["required"]
                == forms.Field.default_error_messages["required"]
            ):
                field.error_messages["required"] = _required_message(name, field)
        self.helper = FormHelper(self)
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        if self.layout is not None:
            self.helper.layout = self.layout

    def add_domain_error(self, exc):
        """Show a service's refusal (a stalkingservice.domain.DomainError) beside the field
        it names (`exc.field`), or at the top of the form when it names none, or a field
        this form does not have."""
        self.add_error(exc.field if exc.field in self.fields else None, str(exc))

    def error_summary(self):
        """[(field id or None, message)] for the error summary at the top of the page."""
        items = []
        for name, errors in self.errors.items():
            anchor = None
            if name != "__all__" and name in self.fields:
                anchor = self[name].id_for_label or f"id_{name}"
            for message in errors:
                items.append((anchor, message))
        return items


class VersionedFormMixin:
    """Edit forms carry the version of the record they were read at, so a save made from
    an out-of-date copy is refused (stalkingservice.domain.check_version) instead of overwriting
    someone else's work."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        helper = getattr(self, "helper", None)
        if helper is not None:
            # The crispy layout was built before this field existed; without this the
            # version is never posted and every stale save silently wins.
            helper.render_hidden_fields = True
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = instance.version


class BaseForm(BaseFormMixin, forms.Form):
    pass


class BaseModelForm(BaseFormMixin, forms.ModelForm):
    pass


class SignInForm(BaseFormMixin, AuthenticationForm):
    error_messages = {
        # The same message whether the username exists or not: no user enumeration.
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "Enter a correct username and password. Both are case-sensitive.",
    }

    def clean_username(self):
        # Django's sign-in form only tells the browser the longest a username can be. A
        # longer one went on to sign-in and the lock-out record, whose column it does not
        # fit (a server error); no account has such a name, so it gets the same answer.
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return username


class PasswordChangeForm(BaseFormMixin, DjangoPasswordChangeForm):
    """The password rules (12+ characters, not common, not like your name) apply here."""


class SetPasswordForm(BaseFormMixin, DjangoSetPasswordForm):
    """Choosing a password through an emailed one-time link: the same rules. Validation
    only; the view saves through stalkingservice.services.user_password_set."""


class TokenForm(BaseForm):
    token = forms.CharField(
        label="Six-digit code from your authenticator app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def __init__(self, *args, device_check=None, **kwargs):
        self.device_check = device_check
        super().__init__(*args, **kwargs)

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("The code is 6 numbers, for example 123456")
        if self.device_check is not None and not self.device_check(token):
            raise forms.ValidationError(
                "That code is not right. Codes change every 30 seconds: try the newest one"
            )
        return token


def validate_new_password(password: str, user=None):
    password_validation.validate_password(password, user)
