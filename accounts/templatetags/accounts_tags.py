from django import template

from accounts import avatars

register = template.Library()
register.filter("avatar_url", avatars.avatar_url)
