//! The reliability block diagram: component classes and the graph of blocks
//! (series, parallel, k-of-n, ride-through) over them.
//!
//! A diagram is plain data. Components come in classes of identical units
//! (forty racks, 5,000 servers), each unit with a leaf block that is up while
//! the unit works. Groups are up while at least `need` children are up: series
//! is `need = children`, parallel `need = 1`, k-of-n `need = k`. A ride-through
//! block stays up for a while after its child goes down (UPS batteries, the
//! thermal mass of a room). Blocks may only refer to blocks built before them,
//! so the graph is acyclic by construction, and a block may feed several
//! others: that is how one PDU takes all of its racks down.
//!
//! A maintenance block is up while one unit is in a planned maintenance window
//! and down otherwise: with it a diagram says "this alternate path carries the
//! load only while the active one is out for planned maintenance" (the Uptime
//! Tier III active + alternate path), as `active OR (active's unit in
//! maintenance AND alternate)`.
//!
//! Capacity units (servers) each name the block that must be up for them to
//! serve (their rack's path), which makes capacity availability a count rather
//! than a second diagram.

use super::distribution::Lifetime;
use std::fmt;

/// Index of a block in [`Diagram::nodes`].
pub type NodeId = u32;

/// What happens after a failure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Repair {
    /// Repaired (or replaced) after a duration drawn from this distribution,
    /// then as good as new.
    Restore(Lifetime),
    /// Never repaired: the unit stays failed in place (J. Hamilton, "An
    /// Architecture for Modular Data Centers", CIDR 2007).
    FailInPlace,
}

/// One way a component fails. A component with several modes fails by
/// whichever comes first (competing risks).
#[derive(Debug, Clone, PartialEq)]
pub struct FailureMode {
    /// Name shown in the event log (`failure`, `reload`).
    pub name: String,
    /// Time to failure, counted while the unit is up (for a generator: while running).
    pub time_to_failure: Lifetime,
    /// What follows the failure.
    pub repair: Repair,
}

/// Planned maintenance: every unit of the class is taken out of service for
/// `duration_h` once every `interval_h`, units staggered evenly over the
/// interval so that a redundant group never has two out at once, and classes
/// shifted from each other (by the golden section of their spacing) so that
/// windows of different kinds rarely coincide, as a maintenance calendar would
/// arrange. A window is not deferred when something else is down.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Maintenance {
    /// Time between the starts of two windows of one unit.
    pub interval_h: f64,
    /// Length of one window.
    pub duration_h: f64,
}

/// A standby unit (an engine generator): idle until the `demand` block goes
/// down, then it tries to start; it fails to start with some probability,
/// otherwise it is up after the start delay and runs until the demand block is
/// up again. Its failure modes count running time only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standby {
    /// The block whose loss calls the unit to start (the utility feeds).
    pub demand: NodeId,
    /// Probability that one start attempt fails.
    pub fail_to_start_probability: f64,
    /// Time from the call to carrying load.
    pub start_delay_h: f64,
}

/// A class of identical units.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentClass {
    /// Unique name (`ups`, `server`); units are `name[i]` in the event log.
    pub name: String,
    /// Number of units.
    pub count: u32,
    /// Failure modes, at least one.
    pub modes: Vec<FailureMode>,
    /// Planned maintenance windows, if any.
    pub maintenance: Option<Maintenance>,
    /// Standby behaviour, for generators.
    pub standby: Option<Standby>,
}

/// How a block combines its children.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NodeKind {
    /// The unit `component` (a global index: classes in order, units within).
    Leaf {
        /// Global component index.
        component: u32,
    },
    /// Up while at least `need` children are up.
    Group {
        /// Children that must be up.
        need: u32,
    },
    /// Up while its one child is up, and for `ride_through_h` (scaled by the
    /// charge left) after the child goes down. Charge refills linearly over
    /// `recharge_h` once the child is back (0: at once).
    RideThrough {
        /// Hold-up time on a full charge.
        ride_through_h: f64,
        /// Time to refill from empty.
        recharge_h: f64,
    },
    /// Always up: a part of the site the scenario does not model.
    Always,
    /// Up while the unit `component` is in a planned maintenance window.
    InMaintenance {
        /// Global component index.
        component: u32,
    },
}

/// One block.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Name for the event log and errors (`ups-a`, `rack[3]`).
    pub name: String,
    /// How children combine.
    pub kind: NodeKind,
    /// Child blocks (built before this one).
    pub children: Vec<NodeId>,
}

/// Servers that fail in place are replaced a module (a container) at a time
/// once too few of the module still work.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Modules {
    /// Capacity units per module (the last module may be smaller).
    pub size: u32,
    /// Replace a module when the fraction of its units still working falls below this.
    pub replace_below_fraction: f64,
    /// Time from crossing the threshold to the new module serving.
    pub lead_time_h: f64,
}

/// The units whose count is the site's capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct Capacity {
    /// Index of the class of the units in [`Diagram::classes`]; `None` when the
    /// units themselves never fail (only what feeds them does).
    pub class: Option<usize>,
    /// For each unit of the class, the block that must be up for it to serve.
    pub feeds: Vec<NodeId>,
    /// Module replacement for fail-in-place fleets.
    pub modules: Option<Modules>,
}

/// A complete diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagram {
    /// Component classes, in the order their units are numbered.
    pub classes: Vec<ComponentClass>,
    /// Blocks; every child index is below its parent's.
    pub nodes: Vec<Node>,
    /// Global index of each class's first unit.
    pub class_start: Vec<u32>,
    /// Leaf block of each unit, by global index.
    pub leaves: Vec<NodeId>,
    /// The block whose downtime is the site's downtime (IT power and cooling).
    pub root: NodeId,
    /// The capacity units, if any.
    pub capacity: Option<Capacity>,
}

/// A diagram that cannot be simulated.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagramError(pub String);

impl fmt::Display for DiagramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DiagramError {}

/// Builds a [`Diagram`] block by block.
#[derive(Debug, Default)]
pub struct DiagramBuilder {
    classes: Vec<ComponentClass>,
    nodes: Vec<Node>,
    class_start: Vec<u32>,
    leaves: Vec<NodeId>,
    errors: Vec<String>,
}

impl DiagramBuilder {
    /// An empty diagram.
    pub fn new() -> Self {
        DiagramBuilder::default()
    }

    fn push(&mut self, node: Node) -> NodeId {
        let id = self.nodes.len() as NodeId;
        for &c in &node.children {
            if c >= id {
                self.errors
                    .push(format!("block {:?} refers to block {c}, which does not exist yet", node.name));
            }
        }
        self.nodes.push(node);
        id
    }

    /// Add a class of units; returns the leaf block of each unit.
    pub fn class(&mut self, class: ComponentClass) -> Vec<NodeId> {
        if class.modes.is_empty() {
            self.errors.push(format!("class {:?} has no failure mode", class.name));
        }
        if self.classes.iter().any(|c| c.name == class.name) {
            self.errors.push(format!("two classes are named {:?}", class.name));
        }
        if let Some(m) = class.maintenance
            && !(m.interval_h > 0.0 && m.duration_h > 0.0 && m.duration_h < m.interval_h)
        {
            self.errors.push(format!(
                "class {:?}: maintenance needs 0 < duration ({} h) < interval ({} h)",
                class.name, m.duration_h, m.interval_h
            ));
        }
        if let Some(s) = class.standby {
            if s.demand as usize >= self.nodes.len() {
                self.errors.push(format!("class {:?}: demand block {} does not exist", class.name, s.demand));
            }
            if !(0.0..=1.0).contains(&s.fail_to_start_probability) || s.start_delay_h < 0.0 {
                self.errors.push(format!("class {:?}: bad standby parameters {s:?}", class.name));
            }
        }
        let start = self.leaves.len() as u32;
        self.class_start.push(start);
        let mut leaves = Vec::with_capacity(class.count as usize);
        for i in 0..class.count {
            let id = self.push(Node {
                name: format!("{}[{i}]", class.name),
                kind: NodeKind::Leaf { component: start + i },
                children: Vec::new(),
            });
            self.leaves.push(id);
            leaves.push(id);
        }
        self.classes.push(class);
        leaves
    }

    /// A group that is up while at least `need` of `children` are up.
    pub fn group(&mut self, name: &str, need: u32, children: Vec<NodeId>) -> NodeId {
        if need == 0 || need as usize > children.len() {
            self.errors.push(format!("group {name:?} needs {need} of {} children", children.len()));
        }
        let mut sorted = children.clone();
        sorted.sort_unstable();
        if sorted.windows(2).any(|w| w[0] == w[1]) {
            self.errors.push(format!("group {name:?} lists a child twice"));
        }
        self.push(Node { name: name.to_string(), kind: NodeKind::Group { need }, children })
    }

    /// Every child must be up.
    pub fn series(&mut self, name: &str, children: Vec<NodeId>) -> NodeId {
        let need = children.len() as u32;
        self.group(name, need, children)
    }

    /// One child is enough.
    pub fn parallel(&mut self, name: &str, children: Vec<NodeId>) -> NodeId {
        self.group(name, 1, children)
    }

    /// A block that rides through a loss of `child` for `ride_through_h`.
    pub fn ride_through(
        &mut self,
        name: &str,
        child: NodeId,
        ride_through_h: f64,
        recharge_h: f64,
    ) -> NodeId {
        if !(ride_through_h >= 0.0 && recharge_h >= 0.0) {
            self.errors.push(format!("ride-through {name:?}: times must be ≥ 0"));
        }
        self.push(Node {
            name: name.to_string(),
            kind: NodeKind::RideThrough { ride_through_h, recharge_h },
            children: vec![child],
        })
    }

    /// A block that is up while the unit whose leaf block is `leaf` is in a
    /// planned maintenance window (never, if its class has no maintenance).
    pub fn in_maintenance(&mut self, name: &str, leaf: NodeId) -> NodeId {
        let component = match self.nodes.get(leaf as usize).map(|n| n.kind) {
            Some(NodeKind::Leaf { component }) => component,
            _ => {
                self.errors.push(format!("maintenance block {name:?}: block {leaf} is not a unit"));
                0
            }
        };
        self.push(Node {
            name: name.to_string(),
            kind: NodeKind::InMaintenance { component },
            children: Vec::new(),
        })
    }

    /// A block that is always up.
    pub fn always(&mut self, name: &str) -> NodeId {
        self.push(Node { name: name.to_string(), kind: NodeKind::Always, children: Vec::new() })
    }

    /// Classes added so far (the index the next class will get).
    pub fn class_count(&self) -> usize {
        self.classes.len()
    }

    /// Finish, with `root` as the site block and optional capacity units.
    pub fn build(mut self, root: NodeId, capacity: Option<Capacity>) -> Result<Diagram, DiagramError> {
        if root as usize >= self.nodes.len() {
            self.errors.push(format!("root block {root} does not exist"));
        }
        if let Some(c) = &capacity {
            match c.class.map(|i| (i, self.classes.get(i))) {
                None => {
                    if c.modules.is_some() {
                        self.errors.push("module replacement needs a class of capacity units".to_string());
                    }
                }
                Some((i, None)) => self.errors.push(format!("capacity class {i} does not exist")),
                Some((_, Some(class))) => {
                    if c.feeds.len() != class.count as usize {
                        self.errors.push(format!(
                            "capacity: {} feeds for {} units of {:?}",
                            c.feeds.len(),
                            class.count,
                            class.name
                        ));
                    }
                    if class.standby.is_some() {
                        self.errors.push("capacity units cannot be standby units".to_string());
                    }
                }
            }
            if c.feeds.iter().any(|&f| f as usize >= self.nodes.len()) {
                self.errors.push("a capacity feed block does not exist".to_string());
            }
            if let Some(m) = c.modules
                && (m.size == 0 || !(0.0..=1.0).contains(&m.replace_below_fraction) || m.lead_time_h < 0.0)
            {
                self.errors.push(format!("bad module replacement {m:?}"));
            }
        }
        if !self.errors.is_empty() {
            return Err(DiagramError(self.errors.join("; ")));
        }
        Ok(Diagram {
            classes: self.classes,
            nodes: self.nodes,
            class_start: self.class_start,
            leaves: self.leaves,
            root,
            capacity,
        })
    }
}

impl Diagram {
    /// Units across all classes.
    pub fn component_count(&self) -> usize {
        self.leaves.len()
    }

    /// The class of global unit `component` and its index within the class.
    pub fn locate(&self, component: u32) -> (usize, u32) {
        let class = self.class_start.partition_point(|&s| s <= component) - 1;
        (class, component - self.class_start[class])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(name: &str, count: u32) -> ComponentClass {
        ComponentClass {
            name: name.into(),
            count,
            modes: vec![FailureMode {
                name: "failure".into(),
                time_to_failure: Lifetime::exponential(100.0).unwrap(),
                repair: Repair::Restore(Lifetime::exponential(1.0).unwrap()),
            }],
            maintenance: None,
            standby: None,
        }
    }

    #[test]
    fn units_are_numbered_across_classes() {
        let mut b = DiagramBuilder::new();
        let a = b.class(class("a", 2));
        let c = b.class(class("c", 3));
        let root = b.series("root", [a, c].concat());
        let d = b.build(root, None).unwrap();
        assert_eq!(d.component_count(), 5);
        assert_eq!(d.locate(0), (0, 0));
        assert_eq!(d.locate(1), (0, 1));
        assert_eq!(d.locate(2), (1, 0));
        assert_eq!(d.locate(4), (1, 2));
        assert_eq!(d.nodes[d.leaves[3] as usize].name, "c[1]");
    }

    #[test]
    fn impossible_groups_are_refused() {
        let mut b = DiagramBuilder::new();
        let a = b.class(class("a", 2));
        let g = b.group("too-many", 3, a.clone());
        let e = b.build(g, None).unwrap_err();
        assert!(e.0.contains("needs 3 of 2"), "{e}");

        let mut b = DiagramBuilder::new();
        let a = b.class(class("a", 1));
        let g = b.parallel("twice", vec![a[0], a[0]]);
        assert!(b.build(g, None).unwrap_err().0.contains("twice"));
    }

    #[test]
    fn maintenance_longer_than_its_interval_is_refused() {
        let mut b = DiagramBuilder::new();
        let mut c = class("a", 1);
        c.maintenance = Some(Maintenance { interval_h: 10.0, duration_h: 10.0 });
        let a = b.class(c);
        assert!(b.build(a[0], None).unwrap_err().0.contains("maintenance"));
    }
}
