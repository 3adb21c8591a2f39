"""Electronic issue: PDF by LibreOffice, PAdES signatures and their verification."""
