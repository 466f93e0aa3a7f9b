"""What the language tests expect, written out rather than read from the code under test."""

# Written right to left.
RTL = {"ar", "fa", "fa-af", "ps", "ckb"}
# Digits as a Persian or Pashto phone keyboard types them.
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
