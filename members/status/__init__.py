"""A member's status (团籍状态): exits, retention and reversal, and members reaching 28."""
