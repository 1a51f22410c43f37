"""Links in templates: the kept links are Flask's own, under any script root."""

from flask import render_template_string, url_for
from markupsafe import escape

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


def test_links_with_values_options_and_lists(app):
    template = (
        "{{ url_for('me.history', bh='BHYT', trang=2) }}|{{ url_for('me.history', trang=2, bh='BHYT') }}|"
        "{{ url_for('me.history', bh=['a', 'b']) }}|{{ url_for('me.card', _external=True) }}|"
        "{{ url_for('me.card', _anchor='x') }}|{{ url_for('public.set_language', lang='en', next=path) }}"
    )
    for host in ("a.example", "b.example", "a.example"):
        with app.test_request_context("/", base_url=f"https://{host}"):
            expected = "|".join(
                (
                    url_for("me.history", bh="BHYT", trang=2),
                    url_for("me.history", bh="BHYT", trang=2),
                    url_for("me.history", bh=["a", "b"]),
                    url_for("me.card", _external=True),
                    url_for("me.card", _anchor="x"),
                    url_for("public.set_language", lang="en", next="/tai-khoan?x=1&y=2"),
                )
            )
            assert render_template_string(template, path="/tai-khoan?x=1&y=2") == escape(expected)
            assert f"https://{host}/tai-khoan/the-bhyt" in expected
