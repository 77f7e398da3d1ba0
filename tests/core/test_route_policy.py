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


def test_views_that_check_an_object_do_call_the_policy(app):
    """A view marked @checks(...) must load its object through the policy, not just carry the mark."""
    import inspect

    lazy = []
    for endpoint, view in app.view_functions.items():
        mark = getattr(view, "access_policy", "") or ""
        if not mark.startswith("object:"):
            continue
        source = inspect.getsource(inspect.unwrap(view))
        if not any(call in source for call in ("authorize(", "load_authorized(", "_load(", "_load_org(",
                                               "_load_attachment(", "_load_for_moderation(", "_lifecycle(",
                                               "_matches(", "_submit(deal_id")):
            lazy.append(endpoint)
    assert lazy == [], "views marked @checks that never ask the policy: " + ", ".join(lazy)
