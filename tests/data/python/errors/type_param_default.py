class A[T: int = str]: pass
