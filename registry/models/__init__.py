from .people import User
from .reference import OPD, PemdaProfile, Province, Regency, Urusan

__all__ = ["OPD", "PemdaProfile", "Province", "Regency", "Urusan", "User"]
