"""With a BOM"""
revision = "b0"
down_revision = None
été = "é"
