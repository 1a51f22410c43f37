"""Links in templates: the kept links are Flask's own, under any script root."""

from flask import render_template_string, url_for

TEMPLATE = "{{ url_for('public.support') }} {{ url_for('me.card') }} {{ url_for('me.visits', nam=2024) }}"


def test_template_links_are_flasks_under_each_script_root(app):
    for root in ("", "/vss", "", "/other"):
        for _ in range(2):  # the first makes the link, the second is the kept one
            with app.test_request_context("/", base_url=f"http://localhost{root}"):
                expected = " ".join(
                    (url_for("public.support"), url_for("me.card"), url_for("me.visits", nam=2024))
                )
                assert render_template_string(TEMPLATE) == expected
                assert expected.startswith(f"{root}/")


def test_an_unknown_endpoint_still_fails(app):
    import pytest
    from werkzeug.routing import BuildError

    with app.test_request_context("/"), pytest.raises(BuildError):
        render_template_string("{{ url_for('no.such') }}")
