"""The tweetstats core: the SQLite store, importers, X source and metric definitions.

Nothing in this package imports Slack; the ``bot`` package builds on it.
"""
