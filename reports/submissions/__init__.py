"""Submissions up the tree and the files they carry: exports, background jobs, stamping and seals."""
