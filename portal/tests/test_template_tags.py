"""Template filters of `portal_tags` that change what a reader sees."""

from django.template import Context, Template


def render(source, **context):
    return Template("{% load portal_tags %}" + source).render(Context(context))


def test_email_breaks_lets_an_address_wrap_before_its_at_sign_and_dots():
    html = render("{{ email|email_breaks }}", email="marion.chevalier@plie-arles.example.org")
    assert html == "marion<wbr>.chevalier<wbr>@plie-arles<wbr>.example<wbr>.org"


def test_email_breaks_escapes_what_it_is_given():
    html = render("{{ email|email_breaks }}", email='a<b>"@example.org')
    assert html == "a&lt;b&gt;&quot;<wbr>@example<wbr>.org"
    assert render("{{ email|email_breaks }}", email="") == ""
