"""ValidationError: the messages a service raises end up next to the form fields they concern."""
from wtforms import Form, StringField

from marketplace.core.errors import ValidationError


class ListingLikeForm(Form):
    """A plain WTForms form with two fields."""

    title = StringField()
    summary = StringField()


def test_a_single_message_belongs_to_its_field():
    error = ValidationError("Title is required.", field="title")
    assert error.errors == {"title": ["Title is required."]}
    assert str(error) == "Title is required."


def test_apply_to_puts_messages_on_fields_and_returns_leftovers():
    form = ListingLikeForm()
    form.validate()
    form.title.errors = ["Too short."]
    error = ValidationError(errors={
        "title": ["Already used by another listing."],
        "summary": ["A public summary is required."],
        "no_such_field": ["Sector is unknown."],
        None: ["Only a draft can be submitted."],
    })
    leftovers = error.apply_to(form)
    assert form.title.errors == ["Too short.", "Already used by another listing."]
    assert form.summary.errors == ["A public summary is required."]
    assert sorted(leftovers) == ["Only a draft can be submitted.", "Sector is unknown."]


def test_message_and_errors_combine():
    error = ValidationError("Check the dates.", errors={"expires_at": ["The expiry date is in the past."]})
    assert error.errors == {"expires_at": ["The expiry date is in the past."], None: ["Check the dates."]}
    assert "The expiry date is in the past." in str(error) and "Check the dates." in str(error)
    assert error.apply_to(ListingLikeForm()) == ["The expiry date is in the past.", "Check the dates."]


def test_a_form_attribute_that_is_not_a_field_is_not_written_to():
    form = ListingLikeForm()
    leftovers = ValidationError("Bad.", field="validate").apply_to(form)
    assert leftovers == ["Bad."]
