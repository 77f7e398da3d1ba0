"""Every route declares its access policy."""


def test_every_route_has_a_policy(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not getattr(view, "access_policy", None):
            missing.append(f"{rule.rule} ({rule.endpoint})")
    assert missing == [], "routes without an access policy: " + ", ".join(missing)


def test_policy_marks_name_known_actions(app):
    from marketplace.core.policy import known_actions

    actions = set(known_actions())
    for endpoint, view in app.view_functions.items():
        mark = getattr(view, "access_policy", None)
        if mark in (None, "public"):
            continue
        action = mark.split(":", 1)[-1]
        assert action in actions, f"{endpoint} names unknown action {action}"
