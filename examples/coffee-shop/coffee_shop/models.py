"""SQLAlchemy models of the coffee shop, as the application sees its database."""
from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, Numeric, String, DateTime, func
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Employee(Base):
    __tablename__ = "employees"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    email = Column(String(255), nullable=False, index=True, unique=True)
    password_hash = Column(String(255), nullable=False)


class Customer(Base):
    __tablename__ = "customers"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    phone = Column(String(30))


class Order(Base):
    __tablename__ = "orders"

    id = Column(Integer, primary_key=True)
    customer_id = Column(Integer, ForeignKey("customers.id", ondelete="SET NULL"))
    placed_at = Column(DateTime, nullable=False, server_default=func.current_timestamp())
    total = Column(Numeric(8, 2), nullable=False, server_default="0")


class MenuItem(Base):
    __tablename__ = "menu_items"
    __table_args__ = (CheckConstraint("price > 0", name="ck_menu_items_price_positive"),)

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False, unique=True)
    price = Column(Numeric(6, 2), nullable=False)
