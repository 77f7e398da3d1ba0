"""Page arguments read safely from a query string."""

DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100


def page_args(args, default_per_page=DEFAULT_PER_PAGE):
    """(page, per_page) from request args; bad values fall back to defaults (pages are forgiving)."""
    def as_int(name, default, low, high):
        try:
            value = int(args.get(name, default))
        except (TypeError, ValueError):
            return default
        return min(max(value, low), high)

    return as_int("page", 1, 1, 10_000), as_int("per_page", default_per_page, 1, MAX_PER_PAGE)
