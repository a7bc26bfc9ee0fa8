"""Amazon's feed XSDs read as plain XML (lxml), as the element/type model products need at run time.

Nothing here is generated ahead of time or committed: the model is built from `MWS_XSD_DIR` on first
use and kept per process and folder. Two consumers share it, so that the schema a user is shown and
the XML the builder writes can never disagree:
- xsd_jsonschema.py turns an element into the JSON Schema of its input (types, facets, occurrences);
- product.py writes a product's children in the XSD's order and knows which keys are attributes.

The XSD subset Amazon uses (checked against the shipped files): global and local elements with
`ref`/`type`, minOccurs/maxOccurs; complexType with nested sequence/choice, attributes, and
simpleContent extension (a value with attributes such as `unitOfMeasure` or `currency`); simpleType
restriction (facets) and union. No groups, complexContent, `any` or namespaces.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Union

from lxml import etree

from .per_folder import once_per_folder

XS = "http://www.w3.org/2001/XMLSchema"
ROOT_XSD = "Product.xsd"  # includes amzn-base.xsd and every category XSD


def _xs(local: str) -> str:
    return f"{{{XS}}}{local}"


def _occurs(node: etree._Element, name: str, default: int = 1) -> int | None:
    value = node.get(name)
    if value is None:
        return default
    return None if value == "unbounded" else int(value)


def _min_occurs(node: etree._Element) -> int:
    return _occurs(node, "minOccurs") or 0  # "unbounded" is not a valid minOccurs: read as 0


@dataclass(frozen=True)
class SimpleRef:
    """A simple type: an XSD builtin (`builtin` = local name such as "decimal") or a simpleType node."""

    builtin: str | None = None
    node: etree._Element | None = None


@dataclass(frozen=True)
class Attribute:
    name: str
    type: SimpleRef
    required: bool


@dataclass
class Decl:
    """One element particle: the declaration (ref followed) with the particle's occurrences."""

    model: "XsdModel"
    node: etree._Element
    min: int
    max: int | None  # None: unbounded

    @property
    def name(self) -> str:
        return self.node.get("name")

    @property
    def type(self) -> "ElementType":
        return self.model.element_type(self.node)


@dataclass
class Group:
    kind: str  # "sequence" | "choice"
    min: int
    max: int | None
    items: list[Union[Decl, "Group"]]


@dataclass
class ElementType:
    """What an element holds: text of a simple type, attributes, and/or child elements."""

    simple: SimpleRef | None = None
    attributes: list[Attribute] = field(default_factory=list)
    content: Group | None = None

    @cached_property
    def children(self) -> dict[str, tuple[Decl, bool]]:
        """Child name -> (declaration, repeated?) in document order; repeated also counts an
        enclosing repeated group (a `(A|B)*` choice lets A occur many times)."""
        out: dict[str, tuple[Decl, bool]] = {}

        def walk(group: Group, repeated: bool) -> None:
            repeated = repeated or group.max is None or group.max > 1
            for item in group.items:
                if isinstance(item, Group):
                    walk(item, repeated)
                elif item.name not in out:
                    out[item.name] = (item, repeated or item.max is None or item.max > 1)

        if self.content is not None:
            walk(self.content, False)
        return out

    @cached_property
    def order(self) -> dict[str, int]:
        return {name: position for position, name in enumerate(self.children)}

    @cached_property
    def attribute_names(self) -> frozenset[str]:
        return frozenset(attribute.name for attribute in self.attributes)


class XsdModel:
    """Global elements and named types of Product.xsd and everything it includes."""

    def __init__(self, xsd_dir: Path) -> None:
        self.xsd_dir = Path(xsd_dir)
        self.elements: dict[str, etree._Element] = {}
        self.complex_types: dict[str, etree._Element] = {}
        self.simple_types: dict[str, etree._Element] = {}
        self._types: dict[etree._Element, ElementType] = {}
        self._load(ROOT_XSD, set())

    def _load(self, name: str, seen: set[str]) -> None:
        if name in seen:
            return
        seen.add(name)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
        root = etree.parse(str(self.xsd_dir / name), parser).getroot()
        for node in root:
            if node.tag == _xs("include"):
                self._load(node.get("schemaLocation"), seen)
            elif node.tag == _xs("element"):
                self.elements.setdefault(node.get("name"), node)
            elif node.tag == _xs("complexType"):
                self.complex_types.setdefault(node.get("name"), node)
            elif node.tag == _xs("simpleType"):
                self.simple_types.setdefault(node.get("name"), node)

    # -- declarations ---------------------------------------------------------------------------

    def element(self, name: str) -> Decl:
        """A global element (e.g. "Product", "Toys") as a once-occurring particle."""
        return Decl(self, self.elements[name], 1, 1)

    def _qname(self, node: etree._Element, value: str) -> tuple[bool, str]:
        """(is an XSD builtin, local name) of a type reference such as `xsd:string` or `String`."""
        prefix, _, local = value.rpartition(":")
        return node.nsmap.get(prefix or None) == XS, local

    def simple_ref(self, node: etree._Element, value: str) -> SimpleRef:
        builtin, local = self._qname(node, value)
        if builtin:
            return SimpleRef(builtin=local)
        return SimpleRef(node=self.simple_types[local])

    def element_type(self, node: etree._Element) -> ElementType:
        cached = self._types.get(node)
        if cached is None:
            cached = self._types[node] = self._element_type(node)
        return cached

    def _element_type(self, node: etree._Element) -> ElementType:
        type_name = node.get("type")
        if type_name is not None:
            builtin, local = self._qname(node, type_name)
            if builtin:
                return ElementType(simple=SimpleRef(builtin=local))
            if local in self.simple_types:
                return ElementType(simple=SimpleRef(node=self.simple_types[local]))
            return self._complex(self.complex_types[local])
        simple = node.find(_xs("simpleType"))
        if simple is not None:
            return ElementType(simple=SimpleRef(node=simple))
        complex_ = node.find(_xs("complexType"))
        if complex_ is not None:
            return self._complex(complex_)
        return ElementType(simple=SimpleRef(builtin="string"))  # xs:anyType, read as text

    def _complex(self, node: etree._Element) -> ElementType:
        simple_content = node.find(_xs("simpleContent"))
        if simple_content is not None:
            extension = simple_content.find(_xs("extension"))
            base = extension.get("base")
            builtin, local = self._qname(extension, base)
            if not builtin and local in self.complex_types:  # an extension of an extension
                inner = self._complex(self.complex_types[local])
                return ElementType(inner.simple, inner.attributes + self._attributes(extension))
            return ElementType(self.simple_ref(extension, base), self._attributes(extension))
        content = None
        for child in node:
            if child.tag in (_xs("sequence"), _xs("choice")):
                content = self._group(child)
        return ElementType(None, self._attributes(node), content)

    def _group(self, node: etree._Element) -> Group:
        items: list[Decl | Group] = []
        for child in node:
            if child.tag in (_xs("sequence"), _xs("choice")):
                items.append(self._group(child))
            elif child.tag == _xs("element"):
                ref = child.get("ref")
                declaration = self.elements[ref] if ref else child
                items.append(Decl(self, declaration, _min_occurs(child), _occurs(child, "maxOccurs")))
        kind = "choice" if node.tag == _xs("choice") else "sequence"
        return Group(kind, _min_occurs(node), _occurs(node, "maxOccurs"), items)

    def _attributes(self, node: etree._Element) -> list[Attribute]:
        out = []
        for attribute in node.findall(_xs("attribute")):
            inline = attribute.find(_xs("simpleType"))
            type_ = SimpleRef(node=inline) if inline is not None else self.simple_ref(
                attribute, attribute.get("type", "xsd:string"))
            out.append(Attribute(attribute.get("name"), type_, attribute.get("use") == "required"))
        return out

    # -- simple types ---------------------------------------------------------------------------

    def builtin_of(self, ref: SimpleRef) -> str:
        """The XSD builtin a simple type derives from ("string" for unions)."""
        seen = 0
        while ref.builtin is None and seen < 50:
            seen += 1
            restriction = ref.node.find(_xs("restriction")) if ref.node is not None else None
            if restriction is None:
                return "string"
            base = restriction.get("base")
            if base is None:
                ref = SimpleRef(node=restriction.find(_xs("simpleType")))
            else:
                ref = self.simple_ref(restriction, base)
        return ref.builtin or "string"


@once_per_folder
def xsd_model(xsd_dir: Path) -> XsdModel:
    """The model of `xsd_dir`, read on first use and kept for the process."""
    return XsdModel(xsd_dir)
