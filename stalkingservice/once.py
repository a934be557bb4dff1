"""One-time submission tokens: a form that makes a record is saved once, however often it
is sent (a double click, a reload after a slow save, a replayed POST).

A form that makes records carries `OnceOnlyFormMixin`: a hidden token minted when the
form is shown. The one case-page form view (`cases.case_page.save_form`, which every
case tab's forms go through) claims the token before calling the service:

- a new token is claimed (atomically, in the shared cache: two requests at the same
  moment cannot both claim it) and the service runs; after a save the token remembers
  where the save led, and a refused save gives the token back so the corrected form can
  be sent again;
- a token already claimed is a second send of the same form: nothing is saved and the
  user is taken where the first save led, with `ALREADY_SAVED`;
- no token at all (a form not sent from its page, a hand-made or replayed request
  stripped of it) is refused with `NOT_FROM_ITS_PAGE`, the input kept and a fresh token
  given, so the user can check and send it again.
"""

import uuid
from dataclasses import dataclass

from django import forms
from django.core.cache import cache

SUBMISSION_FIELD = "submission_id"
ONCE_SECONDS = 24 * 3600
ALREADY_SAVED = "That was already saved (the form was sent twice)."
NOT_FROM_ITS_PAGE = (
    "This form was not saved because it was not sent from its page. Check the details "
    "and save again."
)
_PENDING = "-"  # claimed; the first save is still running (or led nowhere to remember)


class OnceOnlyFormMixin:
    """A hidden token minted when the form is shown (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No id on the hidden input: nothing labels or links to it, and a page holding two
        # of these forms (the contact page's attempt and note) would repeat the id.
        self.fields[SUBMISSION_FIELD] = forms.CharField(
            widget=forms.HiddenInput(attrs={"id": False}), required=False, max_length=64
        )
        if not self.is_bound:
            self.initial[SUBMISSION_FIELD] = uuid.uuid4().hex
        helper = getattr(self, "helper", None)
        if helper is not None:
            # Rendered even where a subclass lays out its fields by hand.
            helper.render_hidden_fields = True
            layout = getattr(helper, "layout", None)
            if layout is not None:
                names = [f for f in layout.fields if isinstance(f, str)]
                if SUBMISSION_FIELD not in names:
                    layout.append(SUBMISSION_FIELD)

    def submitted(self) -> dict:
        """What the user entered, for the service (the token is the page's own)."""
        cleaned: dict = getattr(self, "cleaned_data", {})
        return {k: v for k, v in cleaned.items() if k != SUBMISSION_FIELD}


def is_once_only(form) -> bool:
    return isinstance(form, OnceOnlyFormMixin)


@dataclass(frozen=True)
class Claim:
    """The outcome of claiming a valid form's token."""

    key: str | None = None  # the token claimed now: the service may run
    missing: bool = False  # no token: refuse
    replay_url: str | None = None  # a second send: where the first save led ("" unknown)

    @property
    def replay(self) -> bool:
        return self.replay_url is not None


def _key(user, token: str) -> str:
    return f"once:{getattr(user, 'pk', None)}:{token}"


def submission_claim(*, form, user) -> Claim:
    """Claim a valid once-only form's token (a form without the mixin: nothing to claim).
    The token is taken out of `cleaned_data`, so no service ever sees it."""
    if not is_once_only(form):
        return Claim()
    token = (form.cleaned_data.pop(SUBMISSION_FIELD, "") or "").strip()
    if not token:
        return Claim(missing=True)
    key = _key(user, token)
    if cache.add(key, _PENDING, timeout=ONCE_SECONDS):
        return Claim(key=key)
    led_to = cache.get(key)
    return Claim(replay_url="" if led_to in (None, _PENDING) else led_to)


def submission_replayed(*, form, user) -> str | None:
    """Where the save of this very form led, if it was saved already (read from the posted
    token before the form is validated: the record it made may have changed what the form
    now accepts, e.g. a status no longer on offer); None if it has not been saved."""
    if not is_once_only(form) or not form.is_bound:
        return None
    token = str(form.data.get(SUBMISSION_FIELD) or "").strip()[:64]
    if not token:
        return None
    led_to = cache.get(_key(user, token))
    return None if led_to in (None, _PENDING) else led_to


def submission_saved(claim: Claim, url: str) -> None:
    """The save went through: a second send of the form goes where this one led."""
    if claim.key:
        cache.set(claim.key, url or _PENDING, timeout=ONCE_SECONDS)


def submission_release(claim: Claim) -> None:
    """Nothing was saved: the (corrected) form may be sent again with the same token."""
    if claim.key:
        cache.delete(claim.key)


def refuse_missing(form) -> None:
    """Show the refusal of a form sent without its token, keeping what was typed and
    giving it a fresh token for the next send."""
    form.add_error(None, NOT_FROM_ITS_PAGE)
    data = form.data.copy()
    data[SUBMISSION_FIELD] = uuid.uuid4().hex
    form.data = data
