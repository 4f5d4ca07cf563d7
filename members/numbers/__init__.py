"""Development numbers (团员编号): ranges, issuing, the ledger, the unused-number register and the batch look-up."""
