"""``warlog watch``: follow news feeds politely, keep the ledger current, alert on changes.

- :mod:`client`: the polite HTTP client (httpx, robots.txt with protego);
- :mod:`state`: when a feed is polled next (intervals, max-age, Retry-After, backoff, dead);
- :mod:`service`: the watcher loop (feeds -> pages -> the pipeline);
- :mod:`alerts`: rules over events and their delivery (stdout, file, signed webhook);
- :mod:`status`: the feeds' state as JSON.

The store side (feed state, handled entries, fired alerts) is :mod:`warlog.store.feeds`.
"""
