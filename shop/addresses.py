"""The address book: a buyer's saved shipping addresses, one of them the default.

Writes take the owner's row lock first, so two requests changing the default of one
account run one after the other (the partial unique index allows one default only).
Addresses are private: another account's id is a 404, never a 403.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from redbook.exceptions import Invalid
from shop import selectors
from shop.models import Address
from shop.orders import ADDRESS_FIELDS, shipping_address_clean

MAX_ADDRESSES = 20


def address_fields(address: Address) -> dict:
    """The address as an order's `shipping_address` (blank optional fields left out)."""
    return {field: getattr(address, field) for field in ADDRESS_FIELDS if getattr(address, field)}


def _lock_owner(user: User) -> None:
    User.objects.select_for_update().filter(pk=user.pk).first()


def _make_default(address: Address) -> None:
    Address.objects.filter(user_id=address.user_id, is_default=True).exclude(pk=address.pk).update(is_default=False)
    address.is_default = True


def address_create(*, user: User, data: dict, is_default: bool = False) -> Address:
    """Save an address (ValidationError per field, as at checkout); the first one is the default."""
    cleaned = shipping_address_clean(data)
    with transaction.atomic():
        _lock_owner(user)
        count = Address.objects.filter(user=user).count()
        if count >= MAX_ADDRESSES:
            raise Invalid(_("At most %(n)d saved addresses.") % {"n": MAX_ADDRESSES}, code="too_many_addresses")
        address = Address(user=user, **cleaned)
        if is_default or count == 0:
            _make_default(address)
        address.save()
    return address


def address_remember(*, user: User, data: dict) -> Address:
    """The saved address equal to `data` (an order's cleaned address), saved now if new."""
    with transaction.atomic():
        _lock_owner(user)
        fields = {field: data.get(field, "") for field in ADDRESS_FIELDS}
        existing = Address.objects.filter(user=user, **fields).first()
        return existing or address_create(user=user, data=data)


def address_update(*, user: User, address_id, data: dict, is_default: bool | None = None) -> Address:
    """Change the given fields (the whole address is checked again); `is_default=True` moves the default here."""
    with transaction.atomic():
        _lock_owner(user)
        address = selectors.address_get(user=user, address_id=address_id)
        merged = {**address_fields(address), **{k: v for k, v in data.items() if k in ADDRESS_FIELDS}}
        cleaned = shipping_address_clean(merged)
        for field in ADDRESS_FIELDS:
            setattr(address, field, cleaned.get(field, ""))
        if is_default:
            _make_default(address)
        address.save()
    return address


def address_delete(*, user: User, address_id) -> None:
    """Delete an address; when it was the default, the newest remaining one becomes the default."""
    with transaction.atomic():
        _lock_owner(user)
        address = selectors.address_get(user=user, address_id=address_id)
        address.delete()
        if address.is_default:
            newest = Address.objects.filter(user=user).order_by("-id").first()
            if newest is not None:
                Address.objects.filter(pk=newest.pk).update(is_default=True)
