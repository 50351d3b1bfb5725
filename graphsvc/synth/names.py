"""Generated name frequency lists: common given names and surnames drawn with Zipf-like weights.

Combining independent common names by frequency gives plausible people who are nobody in
particular. A share of names carry diacritics, apostrophes or two barrels, because search and
the importer's name keys must cope with them.
"""

from __future__ import annotations

import itertools
import random

_FEMALE = """Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Florence Willow Emily
Ella Poppy Evie Charlotte Sophie Jessica Chloe Lucy Hannah Emma Sarah Rebecca Laura Rachel Amy
Katie Gemma Leanne Claire Nicola Lisa Michelle Karen Julie Susan Tracey Donna Kelly Joanne Helen
Zoë Chloé Renée Siân Anaïs Maja Agnieszka Małgorzata Zuzana Aoife Niamh Saoirse Fatima Aisha
Priya Amira Mariam Noor Ruby Daisy Phoebe Millie Harriet Megan Bethany Jade Kayleigh Shannon
Margaret Patricia Jean Christine Janet Linda Pauline Sandra Carol Brenda""".split()
_MALE = """Oliver George Noah Arthur Muhammad Leo Harry Oscar Archie Henry Jack Charlie Freddie
Thomas James William Alfie Jacob Joshua Daniel Matthew Ryan Luke Adam Liam Connor Callum Jordan
Lewis Jamie Kyle Dean Craig Lee Wayne Darren Shane Gary Paul Mark Stephen Andrew David Michael
Peter John Robert Richard Christopher Anthony Kevin Ian Neil Simon Martin Graham Keith Trevor
José Łukasz Bartłomiej Piotr Tomasz Jiří Ştefan Mihai Seán Eóin Ciarán Rhodri Dafydd Kacper
Mohammed Ali Omar Yusuf Ibrahim Hassan Raj Arjun Kai Ethan Mason Tyler Reece Brandon Kieran
Dylan Bradley Nathan Harvey Frankie Tommy Billy Ronnie Alan Brian Colin Derek Terry Roy""".split()
_SURNAMES = """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood
Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James
Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter
Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson
Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt
Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker
Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson
Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence
Cole Atkinson Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan
Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory
Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter
Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson
Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls
Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman
Nowak Kowalski Wiśniewski Wójcik Kowalczyk Dvořák Novák Popescu Müller Schäfer Ó_Súilleabháin
MacLeòid Ferreira Gonçalves Peña Núñez D'Souza Fernández Yılmaz Öztürk Nguyễn""".split()

_NICKNAMES = {"Thomas": "Tom", "James": "Jim", "William": "Billy", "Robert": "Bob",
              "Richard": "Rich", "Michael": "Mick", "Christopher": "Chris", "Anthony": "Tony",
              "Daniel": "Danny", "Matthew": "Matty", "Joshua": "Josh", "Stephen": "Steve",
              "Jessica": "Jess", "Rebecca": "Becky", "Margaret": "Maggie", "Patricia": "Pat",
              "Charlotte": "Charlie", "Elizabeth": "Liz", "Samantha": "Sam", "Kayleigh": "Kay",
              "Nicola": "Nikki", "Christine": "Chris", "Jacob": "Jake", "Alfie": "Alf"}
_STREET_NAMES = ["Bigsby", "Tuddy", "Brack", "Dunwold"]  # extra tags for aliases ("Tuddy")


def _zipf(count: int, exponent: float = 1.07) -> list[float]:
    """Cumulative Zipf weights for `count` ranked names (rank 1 is the most common)."""
    return list(itertools.accumulate(1.0 / (rank ** exponent) for rank in range(1, count + 1)))


class NameMaker:
    """Draws names for people from the generated frequency lists, reproducibly for a Random."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        # The rank order is shuffled per seed so the most common names differ between counties.
        self.female = list(_FEMALE)
        self.male = list(_MALE)
        self.surnames = [s.replace("_", " ") for s in _SURNAMES]  # "Ó_Súilleabháin"
        for names in (self.female, self.male, self.surnames):
            head, tail = names[:20], names[20:]
            rng.shuffle(head)
            rng.shuffle(tail)
            names[:] = head + tail
        self._female_w = _zipf(len(self.female))
        self._male_w = _zipf(len(self.male))
        self._surname_w = _zipf(len(self.surnames), 0.95)

    def given(self, gender: str) -> str:
        """A given name for `female`/`male`; either list for `other`/`unknown`."""
        if gender not in ("female", "male"):
            gender = self.rng.choice(("female", "male"))
        if gender == "female":
            return self.rng.choices(self.female, cum_weights=self._female_w)[0]
        return self.rng.choices(self.male, cum_weights=self._male_w)[0]

    def family(self) -> str:
        """A surname; about one in forty is double-barrelled."""
        first = self.rng.choices(self.surnames, cum_weights=self._surname_w)[0]
        if self.rng.random() < 0.025:
            second = self.rng.choices(self.surnames, cum_weights=self._surname_w)[0]
            if second != first and " " not in first + second:
                return f"{first}-{second}"
        return first

    def aliases(self, given: str, family: str, gender: str) -> list[str]:
        """Other names a person is known by: a nickname, a former surname or a street name."""
        choice = self.rng.random()
        if choice < 0.4 and given in _NICKNAMES:
            return [f"{_NICKNAMES[given]} {family}"]
        if choice < 0.7:
            return [f"{given} {self.family()}"]
        if choice < 0.85:
            return [f"{self.given(gender)} {family}", f"{given} {self.family()}"]
        return [self.rng.choice(_STREET_NAMES)]
