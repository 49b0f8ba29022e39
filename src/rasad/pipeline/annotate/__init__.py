"""Annotators: numbers, dates, actors, places and claimants found in a clause's text."""
