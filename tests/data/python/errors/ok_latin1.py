# -*- coding: latin-1 -*-
revision = "café"
