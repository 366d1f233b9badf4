# -*- coding: latin-1 -*-
"""Café migration"""
revision = "café"
down_revision = None
name = "naïve"
