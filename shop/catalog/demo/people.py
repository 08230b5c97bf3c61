"""The demo shop's people: customers with Spanish or English names and Spanish addresses,
guest buyers, and the four staff accounts."""

from __future__ import annotations

import random
from dataclasses import dataclass

from shop.catalog.demo.text import slugify

STAFF_PASSWORD = "tienda-demo"
STAFF = (
    ("admin@tienda.local", "Ana Admin", "admin"),
    ("manager@tienda.local", "Marcos Manager", "manager"),
    ("support@tienda.local", "Sofía Soporte", "support"),
    ("viewer@tienda.local", "Víctor Visor", "viewer"),
)

_SPANISH_FIRST = (
    "María", "Carmen", "Lucía", "Laura", "Marta", "Paula", "Elena", "Sara", "Ana", "Cristina",
    "Julia", "Irene", "Alba", "Nuria", "Raquel", "Pilar", "Rocío", "Silvia", "Beatriz", "Noelia",
    "Antonio", "Manuel", "José", "Francisco", "David", "Javier", "Daniel", "Carlos", "Miguel",
    "Alejandro", "Pablo", "Sergio", "Jorge", "Alberto", "Luis", "Álvaro", "Adrián", "Raúl",
    "Iván", "Rubén",
)
_SPANISH_LAST = (
    "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez",
    "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
    "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos",
    "Gil", "Ramírez", "Serrano", "Blanco", "Molina", "Castro", "Ortega", "Rubio", "Marín",
    "Sanz", "Iglesias", "Núñez", "Medina", "Garrido", "Cortés",
)
_ENGLISH_FIRST = (
    "Olivia", "Emma", "Sophie", "Grace", "Chloe", "Emily", "Hannah", "Lucy", "Amelia", "Jessica",
    "James", "Oliver", "Jack", "Harry", "George", "Thomas", "William", "Daniel", "Samuel",
    "Henry",
)
_ENGLISH_LAST = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke",
)
# (city, postal-code prefix, warehouse that serves it, relative number of buyers)
_CITIES = (
    ("Madrid", "28", "MAD", 22), ("Barcelona", "08", "BCN", 18), ("Valencia", "46", "BCN", 8),
    ("Sevilla", "41", "MAD", 6), ("Zaragoza", "50", "BCN", 4), ("Málaga", "29", "MAD", 5),
    ("Bilbao", "48", "MAD", 4), ("Palma", "07", "BCN", 3), ("Alicante", "03", "BCN", 3),
    ("Valladolid", "47", "MAD", 3), ("Vigo", "36", "MAD", 2), ("Gijón", "33", "MAD", 2),
    ("Girona", "17", "BCN", 2), ("Tarragona", "43", "BCN", 2), ("Granada", "18", "MAD", 3),
    ("A Coruña", "15", "MAD", 2), ("Murcia", "30", "MAD", 3), ("Salamanca", "37", "MAD", 2),
    ("Santander", "39", "MAD", 2), ("Pamplona", "31", "BCN", 2),
)
_STREETS = (
    "Calle Mayor", "Calle del Sol", "Avenida de la Constitución", "Calle Real", "Paseo del Prado",
    "Calle de Alcalá", "Gran Vía", "Calle San Juan", "Avenida de América", "Calle Nueva",
    "Rambla de Catalunya", "Calle de la Paz", "Plaza de España", "Calle Doctor Fleming",
    "Calle Cervantes", "Avenida del Puerto", "Calle de las Flores", "Camino Viejo",
)
_FLOORS = ("1.º A", "2.º B", "3.º izq.", "4.º dcha.", "Bajo", "5.º C", "Ático", "")


@dataclass(frozen=True, slots=True)
class AddressPlan:
    name: str
    line1: str
    line2: str
    city: str
    postal_code: str
    warehouse: str

    def as_json(self) -> dict[str, str]:
        return {"name": self.name, "line1": self.line1, "line2": self.line2,
                "city": self.city, "postal_code": self.postal_code, "country": "ES"}


@dataclass(frozen=True, slots=True)
class Person:
    first: str
    last: str
    full_name: str
    locale: str


@dataclass(frozen=True, slots=True)
class CustomerPlan:
    email: str
    name: str
    locale: str
    marketing_consent: bool
    addresses: tuple[AddressPlan, ...]
    loyalty: float


def plan_customers(rng: random.Random, count: int) -> tuple[CustomerPlan, ...]:
    return tuple(_customer(rng, number) for number in range(1, count + 1))


def _customer(rng: random.Random, number: int) -> CustomerPlan:
    person = invent_person(rng)
    addresses = [address_for(rng, person.full_name)]
    if rng.random() < 0.2:
        addresses.append(address_for(rng, person.full_name))
    # Heavy-tailed: most customers order once or twice, a few dozen order every month, and
    # some registered but never bought.
    loyalty = 0.0 if rng.random() < 0.08 else min(rng.paretovariate(1.2), 20.0)
    return CustomerPlan(
        email=demo_email(person, number), name=person.full_name, locale=person.locale,
        marketing_consent=rng.random() < 0.45, addresses=tuple(addresses), loyalty=loyalty,
    )


def invent_person(rng: random.Random) -> Person:
    if rng.random() < 0.78:
        first, last = rng.choice(_SPANISH_FIRST), rng.choice(_SPANISH_LAST)
        full = f"{first} {last} {rng.choice(_SPANISH_LAST)}"
        return Person(first, last, full, "en" if rng.random() < 0.05 else "es")
    first, last = rng.choice(_ENGLISH_FIRST), rng.choice(_ENGLISH_LAST)
    return Person(first, last, f"{first} {last}", "en")


def demo_email(person: Person, number: int, domain: str = "example.com") -> str:
    return f"{slugify(person.first)}.{slugify(person.last)}.{number}@{domain}"


def address_for(rng: random.Random, name: str) -> AddressPlan:
    city, prefix, warehouse, _ = rng.choices(_CITIES, weights=[c[3] for c in _CITIES])[0]
    return AddressPlan(
        name=name, line1=f"{rng.choice(_STREETS)}, {rng.randint(1, 140)}",
        line2=rng.choice(_FLOORS), city=city, postal_code=f"{prefix}{rng.randint(1, 80):03d}",
        warehouse=warehouse,
    )
