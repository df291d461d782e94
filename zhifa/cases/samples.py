"""A sample party, shared by the demo data and the tests."""

PARTY = {
    "kind": "organisation", "name": "嘉兴市禾丰化工贸易有限公司", "id_code": "91330402MA2BXXXX1K",
    "legal_representative": "周国平", "address": "嘉兴市南湖区凌公塘路 1288 号", "phone": "0573-82000000",
}
