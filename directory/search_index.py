"""Keep the search index of territories (`NameKey`, `PostalCode`) true to their names and
postal codes, so that `TerritoryQuerySet.search` reads an index instead of scanning 35,000
names.

A territory saved one by one (the admin, the demo, tests) is reindexed by its `post_save`
signal. A bulk load (`load_territories`) runs inside `deferred()`: saves only note which
territories changed, and they are reindexed in a few bulk statements at the end.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_save

from directory.models import NameKey, PostalCode, Territory, name_keys
from portal import pagecache

_state = threading.local()
BATCH = 2000


def reindex(territory_ids=None):
    """Rebuild the keys of the given territories (of every territory when None)."""
    territories = Territory.objects.only("pk", "search_name", "postal_codes")
    keys, codes = NameKey.objects.all(), PostalCode.objects.all()
    if territory_ids is not None:
        territory_ids = list(territory_ids)
        territories = territories.filter(pk__in=territory_ids)
        keys = keys.filter(territory_id__in=territory_ids)
        codes = codes.filter(territory_id__in=territory_ids)
    with transaction.atomic():
        keys.delete()
        codes.delete()
        new_keys, new_codes = [], []
        for territory in territories.order_by().iterator(chunk_size=BATCH):
            new_keys += [
                NameKey(territory_id=territory.pk, key=key)
                for key in name_keys(territory.search_name)
            ]
            new_codes += [
                PostalCode(territory_id=territory.pk, code=code)
                for code in dict.fromkeys(territory.postal_code_list)
                if len(code) <= 20
            ]
            if len(new_keys) >= BATCH:
                NameKey.objects.bulk_create(new_keys, batch_size=BATCH)
                new_keys = []
            if len(new_codes) >= BATCH:
                PostalCode.objects.bulk_create(new_codes, batch_size=BATCH)
                new_codes = []
        NameKey.objects.bulk_create(new_keys, batch_size=BATCH)
        PostalCode.objects.bulk_create(new_codes, batch_size=BATCH)


@contextmanager
def deferred():
    """Within this block, saved territories are reindexed together when it ends."""
    if getattr(_state, "pending", None) is not None:  # nested: the outer block reindexes
        yield
        return
    _state.pending = set()
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    if pending:
        reindex(pending)


def saved_in_bulk(territory_ids):
    """Territories written by `bulk_create`/`bulk_update`, which send no signal: reindexed
    with the others at the end of the `deferred()` block, or at once outside one."""
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.update(territory_ids)
    else:
        reindex(territory_ids)


def territory_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """raw: loading a fixture or a backup, which carries its own keys."""
    if raw or not isinstance(instance, Territory):
        return
    if update_fields is not None and not {"search_name", "postal_codes"} & set(update_fields):
        return
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.add(instance.pk)
    else:
        reindex([instance.pk])
        pagecache.purge()  # pages name territories (a bulk load purges once, at its end)


def connect():
    # No sender: `NamedPerimeter` (a proxy) sends its own signal.
    post_save.connect(territory_saved, dispatch_uid="directory-search-index")
