"""Default Explore channels as groups of tags; staff edit them in the admin afterwards."""

from django.db import migrations
from django.utils.text import slugify

# slug, name, tags (English and Chinese, as people tag their notes)
DEFAULT_CHANNELS = [
    ("recommended", "Recommended", []),
    ("skincare", "Skincare", ["skincare", "护肤", "面霜", "精华", "防晒"]),
    ("makeup", "Makeup", ["makeup", "美妆", "口红", "彩妆"]),
    ("fashion", "Fashion", ["fashion", "穿搭", "ootd", "时尚"]),
    ("food", "Food", ["food", "美食", "探店", "咖啡", "coffee"]),
    ("travel", "Travel", ["travel", "旅行", "旅游", "citywalk"]),
    ("fitness", "Fitness", ["fitness", "健身", "运动", "瑜伽"]),
    ("home", "Home", ["home", "家居", "装修", "收纳"]),
    ("tech", "Tech", ["tech", "数码", "科技", "gadgets"]),
]


def create_channels(apps, schema_editor):
    Channel = apps.get_model("feeds", "Channel")
    Tag = apps.get_model("taggit", "Tag")
    for position, (slug, name, tag_names) in enumerate(DEFAULT_CHANNELS):
        channel, _ = Channel.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})
        for tag_name in tag_names:
            tag = Tag.objects.filter(name=tag_name).first()
            if tag is None:
                tag = Tag.objects.create(name=tag_name, slug=slugify(tag_name, allow_unicode=True))
            channel.tags.add(tag)


def remove_channels(apps, schema_editor):
    apps.get_model("feeds", "Channel").objects.filter(slug__in=[slug for slug, _, _ in DEFAULT_CHANNELS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(create_channels, remove_channels)]
