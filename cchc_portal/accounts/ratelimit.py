"""Fixed-window counters in the cache (settings.CACHES: Redis when several web processes share it)."""

import hashlib

from django.core.cache import cache


def hit(bucket, key, limit, window):
    """Counts one request of ``key`` in ``bucket``; False once more than ``limit`` came within the
    ``window`` seconds that began with the first of them."""
    digest = hashlib.sha256(str(key).strip().lower().encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{bucket}:{digest}"
    cache.add(cache_key, 0, window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, window)
        count = 1
    return count <= limit
