"""Pages in Chinese: labels that had no translation, the default board's name, money and dates."""

import pytest
from django.utils import translation

from demo import vocab
from demo.shop import CATEGORY_NAMES
from posts.models import Collection
from posts.services import note_create, note_save
from shop.models import Category
from tests.factories import BrandFactory, UserFactory
from tests.posts.conftest import upload
from tests.shop.conftest import make_product, place_order

pytestmark = pytest.mark.django_db

ZH = {"accept-language": "zh-hans"}


def test_the_brand_product_form_is_all_chinese(client):
    brand = BrandFactory()
    client.force_login(brand)
    html = client.get("/shop/manage/products/new/", headers=ZH).content.decode()
    assert "价格" in html and "库存" in html
    assert ">Price<" not in html and ">Stock<" not in html


def test_the_default_board_reads_in_the_readers_language(client):
    author, saver = UserFactory(), UserFactory()
    note = note_create(author=author, title="A good day", body="", images=[upload("a.jpg")])
    with translation.override("zh-hans"):  # made while Chinese was active: stored as 已收藏
        note_save(user=saver, note=note)
    board = Collection.objects.get(owner=saver, is_default=True)
    assert board.name == "已收藏"
    assert "<h1>Saved" in client.get(f"/collections/{board.pk}/").content.decode()
    assert "<h1>已收藏" in client.get(f"/collections/{board.pk}/", headers=ZH).content.decode()
    board.name = "Trips"  # renamed by its owner: shown as named
    board.save()
    assert board.title == "Trips"


def test_orders_show_money_and_a_relative_date(client):
    buyer = UserFactory()
    product = make_product(variants=(("50 ml", "107.90", 5),))
    place_order(buyer, product.variants.get())
    client.force_login(buyer)
    html = client.get("/orders/", headers=ZH).content.decode()
    assert "¥107.90" in html
    assert "刚刚" in html
    assert "¥107.90" in client.get("/orders/").content.decode()


def test_shop_categories_read_in_the_readers_language(client):
    Category.objects.create(slug="skincare", name="Skincare")
    Category.objects.create(slug="tea", name="Tea & more")  # named by staff, not in the catalog: as written
    chinese = client.get("/shop/", headers=ZH).content.decode()
    assert ">护肤</a>" in chinese and ">Tea &amp; more</a>" in chinese
    assert ">Skincare</a>" in client.get("/shop/").content.decode()


def test_every_demo_category_name_is_in_the_catalog():
    with translation.override("en"):
        assert {topic.en for topic in vocab.SHOP_TOPICS} == {str(name) for name in CATEGORY_NAMES}
