"""doc

more\tx"""
revision = "a"
