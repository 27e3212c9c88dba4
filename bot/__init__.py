"""The tweetstats front ends: the command line now, the Slack app and the scheduler later.

This package reads the store only through ``metrics`` and never writes SQL itself.
"""
