revision = 'f' 'g'
down_revision = r'\x' b'y' f'{1}'
