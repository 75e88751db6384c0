"""Reads of the organisation pages."""

from collections import defaultdict

from .models import Post, Tenure, Unit


def unit_people(unit: Unit) -> list[tuple[Post, list[Tenure]]]:
    """The unit's three posts in their order, each with everyone who held it (two queries). A post nobody has
    held yet is shown unsaved: it is created when someone is first recorded in it."""
    existing = {p.kind: p for p in Post.objects.filter(unit=unit)}
    posts = [existing.get(kind) or Post(unit=unit, kind=kind) for kind in Post.Kind.values]
    tenures = defaultdict(list)
    for tenure in Tenure.objects.filter(post__unit=unit).select_related("user", "created_by", "ended_by"):
        tenures[tenure.post_id].append(tenure)
    return [(post, tenures[post.pk] if post.pk else []) for post in posts]
