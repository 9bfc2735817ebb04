from django import template

from feeds.models import TopicFollow

register = template.Library()


@register.simple_tag
def follows_topic(user, tag_name: str) -> bool:
    """Whether `user` follows the hashtag (one query, for the one button on a tag page)."""
    return TopicFollow.objects.filter(user=user, tag__name__iexact=tag_name).exists()


@register.simple_tag(takes_context=True)
def next_page_url(context, cursor: str) -> str:
    """The current page's URL with `cursor` set: the no-script "More" link of a feed."""
    query = context["request"].GET.copy()
    query["cursor"] = cursor
    query.pop("partial", None)
    return "?" + query.urlencode()
