# Renders one labelled clip of a MakeHuman body foam-rolling its back, for rollcoach's motion tests.
#
# Run by make_footage.py (never by hand unless you are debugging):
#   xvfb-run -a blender -b --python render_clip.py -- --asset human.zae --spec clip.json --out DIR
#
# The body is Debian's assimp-testmodels MakeHuman export (an A-pose mesh without a skeleton). The
# script rigs it (an armature placed from the body's proportions, bound with Blender's automatic
# weights), lays it supine on a 15 cm roller and moves it frame by frame. The trunk is one rigid
# body whose back rests tangent on the roller; the buttocks hang a set height above the floor; the
# legs reach feet that stay planted (or are re-planted); the arms go behind the head (or rest on
# the floor: the `hands` mistake). The roller either rolls without slipping (its centre moves half
# as far as the body) or stays put while the body slides over it (the slipping case).
#
# Output in DIR: frame_0000.png ... and truth.json (per frame: contact as a fraction of C7-PSIS
# and in cm, level, zone, contact speed, trunk angle, buttock height, hands, feet moving).
import atexit
import json
import math
import os
import random
import shutil
import sys
import tempfile
import zipfile

import bpy
from bpy_extras.object_utils import world_to_camera_view
import numpy as np
from mathutils import Matrix, Vector

ROLLER_RADIUS = 0.075

# Ernst et al. 2013, as in src/motion/spine.cpp (fractions of C7-PSIS).
LEVELS = [("C7", 0.0), ("T1", 0.0525), ("T2", 0.105), ("T3", 0.1575), ("T4", 0.21), ("T5", 0.27), ("T6", 0.33),
          ("T7", 0.39), ("T8", 0.4403), ("T9", 0.4907), ("T10", 0.541), ("T11", 0.597), ("T12", 0.653),
          ("L1", 0.709), ("L2", 0.7597), ("L3", 0.8103), ("L4", 0.861), ("L5", 0.907), ("S1", 0.9535), ("S2", 1.0)]


def level_name(f):
    if f < -0.5 * LEVELS[1][1]:
        return "neck"
    if f > 1.0 + 0.5 * (1.0 - LEVELS[18][1]):
        return "sacrum"
    return min(LEVELS, key=lambda level: abs(level[1] - f))[0]


def zone_name(f):
    if f < 0.5 * LEVELS[1][1]:
        return "neck"
    if f < LEVELS[13][1]:
        return "thoracic"
    if f < 0.5 * (LEVELS[17][1] + LEVELS[18][1]):
        return "lumbar"
    return "sacrum"


def parse_args():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    args = {}
    for i in range(0, len(argv) - 1, 2):
        args[argv[i].lstrip("-")] = argv[i + 1]
    for required in ("asset", "spec", "out"):
        if required not in args:
            sys.exit(f"render_clip.py: missing --{required}")
    return args


def import_body(asset):
    if not os.path.exists(asset):
        sys.exit(f"render_clip.py: the body asset {asset} is missing; install Debian's assimp-testmodels")
    bpy.ops.wm.read_factory_settings(use_empty=True)
    tmp = tempfile.mkdtemp(prefix="rc-footage-asset-")
    atexit.register(shutil.rmtree, tmp, True)
    with zipfile.ZipFile(asset) as z:
        z.extractall(tmp)
    bpy.ops.wm.collada_import(filepath=os.path.join(tmp, "human.dae"))
    meshes = [o for o in bpy.context.scene.objects if o.type == "MESH"]
    body = max(meshes, key=lambda o: len(o.data.vertices))
    eyes = [o for o in meshes if o is not body]
    for o in meshes:
        o.data.transform(o.matrix_world)
        o.matrix_world = Matrix.Identity(4)
        o.parent = None
    return body, eyes


def vertices(obj):
    co = np.empty(len(obj.data.vertices) * 3)
    obj.data.vertices.foreach_get("co", co)
    return co.reshape(-1, 3)


def set_vertices(obj, co):
    obj.data.vertices.foreach_set("co", co.reshape(-1))
    obj.data.update()


class Body:
    """The rest skeleton measured on the standing mesh (front -Y, up +Z, floor at z = 0)."""

    def __init__(self, co, spec):
        # Proportions: width and depth scaled a little, then the whole body scaled to a height.
        co = co.copy()
        co[:, 0] *= spec["width_scale"]
        co[:, 1] *= spec["depth_scale"]
        co[:, 2] -= co[:, 2].min()
        k = spec["height_m"] / co[:, 2].max()
        co *= k
        self.co = co
        H = self.height = co[:, 2].max()
        yc = float(np.median(co[(co[:, 2] > 0.45 * H) & (co[:, 2] < 0.8 * H) & (np.abs(co[:, 0]) < 0.1 * H), 1]))
        self.hip_z = 0.525 * H
        self.c7_z = 0.845 * H
        self.psis_z = self.hip_z + 0.09 * H / 1.66
        self.c7_psis = self.c7_z - self.psis_z
        sx = spec["width_scale"] * H / 1.66

        def section(side, z, limit):
            sel = (np.abs(co[:, 2] - z) < 0.012 * H) & (np.sign(co[:, 0]) == side) & (np.abs(co[:, 0]) < limit)
            return co[sel].mean(axis=0)

        j = {}
        for side, s in (("L", 1), ("R", -1)):
            j["hip" + side] = np.array([s * 0.085 * sx, yc, self.hip_z])
            j["knee" + side] = section(s, 0.285 * H, 0.2 * H)
            j["ankle" + side] = section(s, 0.045 * H, 0.2 * H)
            foot = co[(co[:, 2] < 0.03 * H) & (np.sign(co[:, 0]) == s)]
            j["toe" + side] = foot[np.argmin(foot[:, 1])]
            j["shoulder" + side] = np.array([s * 0.105 * H * spec["width_scale"], yc + 0.01 * H, 0.815 * H])
            arm = co[(np.sign(co[:, 0]) == s) & (np.abs(co[:, 0]) > 0.17 * H) & (co[:, 2] > 0.45 * H) & (co[:, 2] < 0.8 * H)]
            tip = arm[np.argmax(np.abs(arm[:, 0]) - 0.5 * arm[:, 2])]
            sh = j["shoulder" + side]
            j["elbow" + side] = sh + 0.42 * (tip - sh)
            j["wrist" + side] = sh + 0.76 * (tip - sh)
            j["hand" + side] = tip
        j["pelvis"] = np.array([0.0, yc, self.hip_z])
        j["neck"] = np.array([0.0, yc, 0.85 * H])
        j["crown"] = np.array([0.0, yc, H])
        self.joints = j
        # The back's profile near the midline: the most posterior point at each height.
        mid = co[np.abs(co[:, 0]) < 0.03 * H]
        self.profile_z = np.linspace(self.hip_z - 0.12 * H, 0.9 * H, 200)
        back = []
        for z in self.profile_z:
            sel = mid[np.abs(mid[:, 2] - z) < 0.01 * H]
            back.append(sel[:, 1].max() if len(sel) else np.nan)
        back = np.array(back)
        ok = ~np.isnan(back)
        back = np.interp(self.profile_z, self.profile_z[ok], back[ok])
        self.profile_y = np.convolve(np.pad(back, 4, mode="edge"), np.ones(9) / 9, mode="valid")
        self.buttocks = co[(co[:, 2] > self.hip_z - 0.14 * H) & (co[:, 2] < self.hip_z + 0.02 * H) & (np.abs(co[:, 0]) < 0.12 * H) & (co[:, 1] > yc)]
        self.chest_front = float(co[(np.abs(co[:, 2] - 0.74 * H) < 0.01 * H) & (np.abs(co[:, 0]) < 0.05 * H)][:, 1].min()) - 0.06 * H
        self.head_back = np.array([0.0, co[co[:, 2] > 0.9 * H][:, 1].max() - 0.02 * H, 0.93 * H])

    def back_point(self, fraction):
        z = self.c7_z - fraction * self.c7_psis
        y = np.interp(z, self.profile_z, self.profile_y)
        dy = np.interp(z + 0.005, self.profile_z, self.profile_y) - np.interp(z - 0.005, self.profile_z, self.profile_y)
        n = np.array([0.0, 1.0, -dy / 0.01])
        return np.array([0.0, y, z]), n / np.linalg.norm(n)


def trunk_rotation(theta):
    # Rest lateral x -> world -Y, rest posterior +y -> down the slope, rest up +z -> head end, raised by theta.
    c, s = math.cos(theta), math.sin(theta)
    return np.array([[0.0, s, c], [-1.0, 0.0, 0.0], [0.0, -c, s]])


def place_trunk(body, fraction, buttock_height):
    """Solve the trunk angle so that the back touches the roller at `fraction` with the buttocks at
    `buttock_height`; returns (R, t without x, roller centre relative x, contact point)."""
    p, n = body.back_point(fraction)

    def residual(theta):
        R = trunk_rotation(theta)
        tz = buttock_height - (body.buttocks @ R.T)[:, 2].min()
        centre = R @ (p + ROLLER_RADIUS * n)
        return centre[2] + tz - ROLLER_RADIUS, R, tz, centre

    lo, hi = math.radians(-10), math.radians(50)
    for _ in range(50):
        m = 0.5 * (lo + hi)
        if residual(m)[0] > 0:
            hi = m
        else:
            lo = m
    _, R, tz, centre = residual(0.5 * (lo + hi))
    return 0.5 * (lo + hi), R, tz, centre


def swing(a, b):
    """The smallest rotation taking direction a to direction b."""
    a = a / np.linalg.norm(a)
    b = b / np.linalg.norm(b)
    v = np.cross(a, b)
    c = float(np.dot(a, b))
    if np.linalg.norm(v) < 1e-9:
        return np.eye(3)
    vx = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
    return np.eye(3) + vx + vx @ vx * (1.0 / (1.0 + c))


def segment(rest_a, rest_b, base_R, world_a, world_b):
    """Rigid transform of a limb segment: the trunk's rotation, then a swing onto the posed direction."""
    d0 = base_R @ (rest_b - rest_a)
    R = swing(d0, world_b - world_a) @ base_R
    return R, world_a - R @ rest_a


def two_link(a, c, l1, l2, up):
    """Knee/elbow position for a chain a -> b -> c with lengths l1, l2, bending toward `up`."""
    d = c - a
    dist = min(np.linalg.norm(d), 0.999 * (l1 + l2))
    d = d / np.linalg.norm(d)
    x = (l1 * l1 - l2 * l2 + dist * dist) / (2 * dist)
    h = math.sqrt(max(l1 * l1 - x * x, 0.0))
    side = up - np.dot(up, d) * d
    side /= np.linalg.norm(side)
    return a + x * d + h * side


BONES = [
    ("trunk", "pelvis", "neck"), ("head", "neck", "crown"),
    ("upper_arm.L", "shoulderL", "elbowL"), ("forearm.L", "elbowL", "wristL"), ("hand.L", "wristL", "handL"),
    ("upper_arm.R", "shoulderR", "elbowR"), ("forearm.R", "elbowR", "wristR"), ("hand.R", "wristR", "handR"),
    ("thigh.L", "hipL", "kneeL"), ("shin.L", "kneeL", "ankleL"), ("foot.L", "ankleL", "toeL"),
    ("thigh.R", "hipR", "kneeR"), ("shin.R", "kneeR", "ankleR"), ("foot.R", "ankleR", "toeR"),
]


def rig(body_obj, eyes, body):
    bpy.ops.object.armature_add(enter_editmode=True, location=(0, 0, 0))
    arm = bpy.context.object
    arm.name = "rig"
    eb = arm.data.edit_bones
    for b in list(eb):
        eb.remove(b)
    for name, a, b in BONES:
        bone = eb.new(name)
        bone.head = Vector(body.joints[a])
        bone.tail = Vector(body.joints[b])
    bpy.ops.object.mode_set(mode="OBJECT")
    bpy.ops.object.select_all(action="DESELECT")
    body_obj.select_set(True)
    arm.select_set(True)
    bpy.context.view_layer.objects.active = arm
    bpy.ops.object.parent_set(type="ARMATURE_AUTO")
    # Any vertex the heat solver left unweighted follows its nearest bone.
    names = [b[0] for b in BONES]
    groups = {g.name: g.index for g in body_obj.vertex_groups}
    mids = np.array([(body.joints[a] + body.joints[b]) / 2 for _, a, b in BONES])
    for v in body_obj.data.vertices:
        if sum(g.weight for g in v.groups) < 1e-3:
            nearest = names[int(np.argmin(np.linalg.norm(mids - np.array(v.co), axis=1)))]
            body_obj.vertex_groups[nearest].add([v.index], 1.0, "REPLACE")
    for e in eyes:
        g = e.vertex_groups.new(name="head")
        g.add(list(range(len(e.data.vertices))), 1.0, "REPLACE")
        mod = e.modifiers.new("rig", "ARMATURE")
        mod.object = arm
    return arm


def pose(arm, transforms):
    for name, (R, t) in transforms.items():
        pb = arm.pose.bones[name]
        ml = arm.data.bones[name].matrix_local
        m = Matrix.Identity(4)
        for r in range(3):
            for c in range(3):
                m[r][c] = R[r][c]
            m[r][3] = t[r]
        pb.matrix_basis = ml.inverted() @ m @ ml


def material(name, rgb, roughness=0.7):
    m = bpy.data.materials.new(name)
    m.use_nodes = True
    bsdf = m.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (*rgb, 1.0)
    bsdf.inputs["Roughness"].default_value = roughness
    m.diffuse_color = (*rgb, 1.0)  # what the Workbench engine shows
    m.roughness = roughness
    return m


def dress(body_obj, body, rng):
    """Clothing colour by region: a top, shorts or trousers, skin, socks."""
    H = body.height
    skin = rng.choice([(0.80, 0.58, 0.45), (0.62, 0.42, 0.30), (0.42, 0.28, 0.20), (0.90, 0.72, 0.60)])
    top = tuple(rng.uniform(0.05, 0.9) for _ in range(3))
    bottom = tuple(rng.uniform(0.02, 0.5) for _ in range(3))
    socks = rng.choice([(0.9, 0.9, 0.9), (0.1, 0.1, 0.1)])
    mats = [material("skin", skin, 0.5), material("top", top), material("bottom", bottom), material("socks", socks)]
    body_obj.data.materials.clear()
    for m in mats:
        body_obj.data.materials.append(m)
    long_sleeves = rng.random() < 0.5
    trousers = rng.random() < 0.5
    for poly in body_obj.data.polygons:
        x, y, z = body.co[poly.vertices[0]]
        arm = abs(x) > 0.16 * H and z < 0.8 * H
        if z < 0.05 * H:
            idx = 3
        elif z < 0.53 * H and not arm:
            idx = 2 if (trousers or z > 0.42 * H) else 0
        elif z < 0.84 * H and (not arm or long_sleeves or z > 0.72 * H):
            idx = 1
        else:
            idx = 0
        poly.material_index = idx


def build_scene(spec, rng, body):
    scene = bpy.context.scene
    scene.render.engine = spec.get("engine", "BLENDER_EEVEE")
    scene.eevee.taa_render_samples = spec.get("samples", 4)
    scene.display.render_aa = "FXAA"
    scene.display.shading.light = "STUDIO"
    scene.display.shading.color_type = "MATERIAL"
    scene.display.shading.show_shadows = True
    scene.display.shading.show_cavity = False
    scene.eevee.use_soft_shadows = False
    scene.eevee.shadow_cube_size = "512"
    scene.eevee.shadow_cascade_size = "1024"
    scene.render.resolution_x, scene.render.resolution_y = spec["width"], spec["height"]
    scene.render.resolution_percentage = 100
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    scene.render.image_settings.compression = 15
    world = bpy.data.worlds.new("world")
    scene.world = world
    world.use_nodes = True
    g = rng.uniform(0.15, 0.5)
    world.node_tree.nodes["Background"].inputs["Color"].default_value = (g, g * 0.97, g * 0.93, 1)
    bpy.ops.mesh.primitive_plane_add(size=20, location=(0, 0, 0))
    bpy.context.object.data.materials.append(material("floor", tuple(rng.uniform(0.25, 0.6) for _ in range(3)), 0.8))
    bpy.ops.mesh.primitive_plane_add(size=20, location=(0, 3.0 if spec["camera_side"] < 0 else -3.0, 10), rotation=(math.pi / 2, 0, 0))
    bpy.context.object.data.materials.append(material("wall", tuple(rng.uniform(0.5, 0.9) for _ in range(3)), 0.9))
    bpy.ops.mesh.primitive_cube_add(size=1, location=(0.1 * body.height, 0, 0.003))
    mat = bpy.context.object
    mat.scale = (1.8, 0.6, 0.006)
    mat.data.materials.append(material("mat", tuple(rng.uniform(0.1, 0.8) for _ in range(3)), 0.9))
    bpy.ops.mesh.primitive_cylinder_add(radius=ROLLER_RADIUS, depth=0.9, vertices=48, rotation=(math.pi / 2, 0, 0))
    roller = bpy.context.object
    roller.data.materials.append(material("roller", rng.choice([(0.05, 0.05, 0.05), (0.1, 0.2, 0.6), (0.7, 0.1, 0.1), (0.2, 0.5, 0.3)]), 0.6))
    bpy.ops.object.light_add(type="SUN", rotation=(math.radians(rng.uniform(20, 55)), 0, math.radians(rng.uniform(-60, 60))))
    bpy.context.object.data.energy = rng.uniform(2.0, 4.5)
    bpy.ops.object.light_add(type="AREA", location=(rng.uniform(-2, 2), spec["camera_side"] * rng.uniform(1.0, 2.5), 2.4))
    bpy.context.object.data.energy = rng.uniform(150, 400)
    bpy.context.object.data.size = 2.0
    cam_data = bpy.data.cameras.new("camera")
    cam_data.angle = math.radians(spec["fov_deg"])
    cam = bpy.data.objects.new("camera", cam_data)
    scene.collection.objects.link(cam)
    scene.camera = cam
    return roller, cam


def aim(cam, location, target, roll_deg):
    direction = Vector(target) - Vector(location)
    cam.location = Vector(location)
    q = direction.to_track_quat("-Z", "Y")
    cam.rotation_euler = (q.to_matrix().to_4x4() @ Matrix.Rotation(math.radians(roll_deg), 4, "Z")).to_euler()


def frame_from(head, front):
    """The trunk's rotation from where its head end (rest +z) and its front (rest -y) point in the world."""
    u = np.array(head, float)
    u /= np.linalg.norm(u)
    f = np.array(front, float)
    f -= np.dot(f, u) * u
    f /= np.linalg.norm(f)
    return np.column_stack([np.cross(-f, u), -f, u])


def about(axis, angle):
    """Rotation by `angle` (radians) about a unit axis."""
    a = np.array(axis, float) / np.linalg.norm(axis)
    k = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + math.sin(angle) * k + (1 - math.cos(angle)) * k @ k


def limb(tf, j, length, R, side, chain, root_w, end_w, bend, tip_dir):
    """Poses a two-segment limb (arm or leg) from its root to an end point, bending toward `bend`,
    with the hand or foot pointing along `tip_dir`."""
    names, joints = chain
    l1, l2, l3 = (length[n + "." + side] for n in names)
    mid_w = two_link(root_w, end_w, l1, l2, np.array(bend, float))
    d = end_w - mid_w
    end_w = mid_w + l2 * d / np.linalg.norm(d)
    tip_w = end_w + l3 * np.array(tip_dir, float) / np.linalg.norm(tip_dir)
    a, b, c, e = (j[k + side] for k in joints)
    tf[names[0] + "." + side] = segment(a, b, R, root_w, mid_w)
    tf[names[1] + "." + side] = segment(b, c, R, mid_w, end_w)
    tf[names[2] + "." + side] = segment(c, e, R, end_w, tip_w)
    return mid_w, end_w


ARM = (("upper_arm", "forearm", "hand"), ("shoulder", "elbow", "wrist", "hand"))
LEG = (("thigh", "shin", "foot"), ("hip", "knee", "ankle", "toe"))


def pose_other_exercise(exercise, f, body, length, first):
    """The lat, glute, hip-flexor and cat-cow exercises. Returns (bone transforms, roller centre or
    None, the posture the truth records). The trunk stays rigid (the rig has one trunk bone); the head turns on its own
    for the cat-cow. `f["phase"]` runs 0..1 over a movement cycle; `first` holds the clip's fixed
    positions (filled on the first frame)."""
    j = body.joints
    H = body.height
    ph = 2 * math.pi * f["phase"]
    leg = length["thigh.L"] + length["shin.L"]
    tf = {}
    roller = None
    head_turn = 0.0
    if exercise == "lat_roll":
        # Lying on one side (the right when facing +y), the roller across the body under the bottom
        # armpit; rocking forward and back and shifting a few centimetres along the ribs.
        rock = math.radians(12.0) * math.sin(ph)
        shift = 0.03 * math.sin(0.5 * ph) + f.get("offset", 0.0)
        torso = body.co[(body.co[:, 2] > body.hip_z - 0.1 * H) & (body.co[:, 2] < 0.84 * H) & (np.abs(body.co[:, 0]) < 0.16 * H)]

        def placed(tilt):
            # The hip side lies on the mat; the tilt raises the shoulder end onto the roller.
            u = np.array([math.cos(tilt), 0.0, math.sin(tilt)])
            R = about(u, rock) @ frame_from(u, [0.0, f["facing"], 0.0])
            posed = torso @ R.T
            t = np.array([shift, 0.0, 0.01 - posed[:, 2].min()])
            x = (R @ j["shoulder" + ("R" if f["facing"] > 0 else "L")] + t)[0] - 0.1 * H / 1.66
            near = posed[np.abs(posed[:, 0] + shift - x) < 0.04]
            under = near[:, 2].min() + t[2] if len(near) else 0.0
            return R, t, x, under

        lo, hi = 0.0, math.radians(35)
        for _ in range(30):
            mid_t = 0.5 * (lo + hi)
            if placed(mid_t)[3] > 2 * ROLLER_RADIUS:
                hi = mid_t
            else:
                lo = mid_t
        R, t, roller_x, _ = placed(0.5 * (lo + hi))
        roller = np.array([roller_x, 0.0, ROLLER_RADIUS])
        W = lambda p: R @ p + t  # noqa: E731
        bottom, top = ("R", "L") if f["facing"] > 0 else ("L", "R")
        sh_b, sh_t = W(j["shoulder" + bottom]), W(j["shoulder" + top])
        hip_b, hip_t = W(j["hip" + bottom]), W(j["hip" + top])
        front = np.array([0.0, f["facing"], 0.0])
        reach = length["upper_arm." + bottom] + length["forearm." + bottom]
        # The bottom arm long overhead, the top hand on the floor in front of the chest.
        limb(tf, j, length, R, bottom, ARM, sh_b, sh_b + reach * np.array([0.97, 0.0, -0.2]), front, [1.0, 0.0, -0.05])
        limb(tf, j, length, R, top, ARM, sh_t, np.array([sh_t[0] - 0.05, f["facing"] * 0.3, 0.04]), np.array([0.0, 0.0, 1.0]) + front, [0.0, f["facing"], -0.2])
        limb(tf, j, length, R, bottom, LEG, hip_b, np.array([hip_b[0] - 0.93 * leg, hip_b[1], 0.05]), front, [-0.3, f["facing"], 0.0])
        limb(tf, j, length, R, top, LEG, hip_t, np.array([hip_t[0] - 0.7 * leg, hip_t[1] + f["facing"] * 0.25, 0.05]), front, [-0.3, f["facing"], 0.0])
        posture = "side_lying"
    elif exercise == "glute_roll":
        # Sitting on the roller, the right ankle over the left knee, leaning back on the hands;
        # small circles over the buttock.
        lean = math.radians(38.0 + 4.0 * math.sin(ph))
        u = np.array([math.sin(lean), 0.0, math.cos(lean)])
        R = about(u, math.radians(-10.0)) @ frame_from(u, [-math.cos(lean), 0.0, math.sin(lean)])
        seat = (body.buttocks @ R.T)[:, 2].min()
        t = np.array([0.025 * math.cos(ph), 0.0, 2 * ROLLER_RADIUS - 0.01 - seat])
        if first.get("hip_x") is None:
            first["hip_x"] = (R @ j["pelvis"] + t)[0]
        roller = np.array([first["hip_x"] + 0.03, 0.0, ROLLER_RADIUS])
        W = lambda p: R @ p + t  # noqa: E731
        for side, s in (("L", 1), ("R", -1)):
            sh = W(j["shoulder" + side])
            limb(tf, j, length, R, side, ARM, sh, np.array([sh[0] + 0.22, -s * 0.22, 0.04]), np.array([1.0, 0.0, -0.3]), [0.6, -s * 0.3, -0.1])
        hip_l, hip_r = W(j["hipL"]), W(j["hipR"])
        knee_l, ankle_l = limb(tf, j, length, R, "L", LEG, hip_l, np.array([first["hip_x"] - 0.62 * leg, hip_l[1] - 0.05, 0.06]), [0.0, 0.0, 1.0], [-1.0, 0.0, -0.2])
        cross = knee_l + np.array([0.02, 0.04, 0.07])
        limb(tf, j, length, R, "R", LEG, hip_r, cross, [0.0, 1.0, 0.5], [0.0, -1.0, 0.3])
        posture = "seated_figure_four"
    elif exercise == "hip_flexor_roll":
        # Face down on the forearms, the roller under the front of the hips; rolling a few
        # centimetres up and down.
        shift = 0.04 * math.sin(ph) + f.get("offset", 0.0)
        front_pelvis = body.co[(body.co[:, 2] > body.hip_z - 0.1 * H) & (body.co[:, 2] < body.hip_z + 0.05 * H) & (np.abs(body.co[:, 0]) < 0.1 * H) & (body.co[:, 1] < 0)]
        target_sh = 0.92 * length["upper_arm.L"] + 0.05

        def placed(alpha):
            u = np.array([math.cos(alpha), 0.0, math.sin(alpha)])
            R = frame_from(u, [math.sin(alpha), 0.0, -math.cos(alpha)])
            tz = 2 * ROLLER_RADIUS - (front_pelvis @ R.T)[:, 2].min()
            return R, tz

        lo, hi = math.radians(-10), math.radians(40)
        for _ in range(40):
            mid_a = 0.5 * (lo + hi)
            R, tz = placed(mid_a)
            if (R @ j["shoulderL"])[2] + tz > target_sh:
                hi = mid_a
            else:
                lo = mid_a
        R, tz = placed(0.5 * (lo + hi))
        t = np.array([shift, 0.0, tz])
        W = lambda p: R @ p + t  # noqa: E731
        pelvis_front = front_pelvis @ R.T + t
        if first.get("roller_x") is None:
            first["roller_x"] = pelvis_front[np.argmin(pelvis_front[:, 2]), 0]
            first["hip_x"] = W(j["pelvis"])[0]
        # The roller rolls without slipping: its centre moves half as far as the body.
        roller = np.array([first["roller_x"] + 0.5 * shift, 0.0, ROLLER_RADIUS])
        for side, s in (("L", 1), ("R", -1)):
            sh = W(j["shoulder" + side])
            # The elbow on the floor just ahead of the shoulder, the forearm flat toward the head.
            elbow_on_floor = np.array([sh[0] + 0.03, sh[1], 0.035])
            fore_dir = np.array([1.0, -s * 0.25, 0.0])
            wrist_w = elbow_on_floor + length["forearm." + side] * fore_dir / np.linalg.norm(fore_dir)
            d = elbow_on_floor - sh
            elbow_w = sh + length["upper_arm." + side] * d / np.linalg.norm(d)
            tf["upper_arm." + side] = segment(j["shoulder" + side], j["elbow" + side], R, sh, elbow_w)
            tf["forearm." + side] = segment(j["elbow" + side], j["wrist" + side], R, elbow_w, wrist_w)
            tf["hand." + side] = segment(j["wrist" + side], j["hand" + side], R, wrist_w, wrist_w + length["hand." + side] * fore_dir / np.linalg.norm(fore_dir))
            hip = W(j["hip" + side])
            if side == "L":  # the leg being rolled: long behind, toes on the floor
                limb(tf, j, length, R, side, LEG, hip, np.array([first["hip_x"] - 0.96 * leg + shift, hip[1] + 0.04, 0.07]), [0.0, 0.0, -1.0], [-0.3, 0.0, -1.0])
            else:  # the other leg bent out to the side for support
                limb(tf, j, length, R, side, LEG, hip, np.array([first["hip_x"] - 0.45 * leg + shift, hip[1] - 0.45, 0.06]), [0.2, -1.0, 0.2], [-1.0, -0.2, -0.3])
        head_turn = math.radians(-25.0)
        posture = "prone"
    elif exercise == "cat_cow":
        # On hands and knees, no roller: the back rounds (cat) and arches (cow). The rig's trunk is
        # one rigid bone, so the cycle shows as the pelvis and the head tilting.
        hip_z = length["thigh.L"] + 0.06
        sh_z = length["upper_arm.L"] + length["forearm.L"] + 0.05
        span = float(np.linalg.norm(j["neck"] - j["pelvis"])) * 0.85
        alpha = math.asin(max(min((sh_z - hip_z) / span, 0.6), -0.6)) + math.radians(5.0) * math.sin(ph)
        u = np.array([math.cos(alpha), 0.0, math.sin(alpha)])
        R = frame_from(u, [math.sin(alpha), 0.0, -math.cos(alpha)])
        t = np.array([0.0, 0.0, hip_z - (R @ j["pelvis"])[2]])
        W = lambda p: R @ p + t  # noqa: E731
        for side, s in (("L", 1), ("R", -1)):
            sh = W(j["shoulder" + side])
            limb(tf, j, length, R, side, ARM, sh, np.array([sh[0] + 0.02, sh[1], 0.04]), [-1.0, 0.0, 0.0], [1.0, 0.0, -0.3])
            hip = W(j["hip" + side])
            knee = np.array([hip[0] + 0.02, hip[1], 0.06])
            d = knee - hip
            knee = hip + length["thigh." + side] * d / np.linalg.norm(d)
            ankle = knee + length["shin." + side] * np.array([-1.0, 0.0, 0.05]) / np.linalg.norm([-1.0, 0.0, 0.05])
            tf["thigh." + side] = segment(j["hip" + side], j["knee" + side], R, hip, knee)
            tf["shin." + side] = segment(j["knee" + side], j["ankle" + side], R, knee, ankle)
            tf["foot." + side] = segment(j["ankle" + side], j["toe" + side], R, ankle, ankle + length["foot." + side] * np.array([-1.0, 0.0, 0.0]))
        head_turn = math.radians(30.0) * math.sin(ph) - math.radians(10.0)
        posture = "hands_and_knees"
    else:
        sys.exit(f"render_clip.py: unknown exercise {exercise}")
    tf["trunk"] = (R, t)
    # The head turns about the neck on the trunk's lateral axis (nodding).
    Rh = R @ about([1.0, 0.0, 0.0], head_turn)
    neck_w = R @ j["neck"] + t
    tf["head"] = (Rh, neck_w - Rh @ j["neck"])
    return tf, roller, posture


def render_other_exercise(spec, exercise, frames, body, length, rig_obj, roller, cam, out):
    """Renders a lat, glute, hip-flexor or cat-cow clip; its truth is the exercise and posture."""
    truth = []
    first = {}
    for i, f in enumerate(frames):
        tf, centre, posture = pose_other_exercise(exercise, f, body, length, first)
        pose(rig_obj, tf)
        if centre is None:
            roller.hide_render = True
        else:
            roller.location = (centre[0], 0.0, ROLLER_RADIUS)
            roller.rotation_euler = (math.pi / 2, -centre[0] / ROLLER_RADIUS, 0)
        if i == 0:
            pts = np.array([R @ body.joints[a] + t for name, a, b in BONES for R, t in [tf[name]]])
            mid_x = 0.5 * (pts[:, 0].min() + pts[:, 0].max())
            mid_z = 0.5 * (pts[:, 2].min() + pts[:, 2].max())
            cam_at = (mid_x + spec["camera_shift_m"], spec["camera_side"] * spec["camera_distance_m"], spec["camera_height_m"])
            aim(cam, cam_at, (mid_x, 0.0, 0.5 * mid_z + 0.3 * spec["camera_height_m"]), spec["camera_roll_deg"])
        bpy.context.scene.render.filepath = os.path.join(out, f"frame_{i:04d}.png")
        bpy.ops.render.render(write_still=True)
        truth.append({"t": round(i / spec["fps"], 4), "exercise": exercise, "posture": posture, "phase": round(f["phase"], 4)})
    meta = {key: spec[key] for key in spec if key != "frames"}
    meta.update({"body_height_m": round(body.height, 4), "c7_psis_m": round(body.c7_psis, 4), "roller_diameter_m": 2 * ROLLER_RADIUS,
                 "renderer": "Blender " + bpy.app.version_string + " " + bpy.context.scene.render.engine})
    with open(os.path.join(out, "truth.json"), "w") as fh:
        json.dump({"meta": meta, "frames": truth}, fh, indent=0)


def main():
    args = parse_args()
    spec = json.load(open(args["spec"]))
    rng = random.Random(spec["seed"])
    out = args["out"]
    os.makedirs(out, exist_ok=True)
    body_obj, eyes = import_body(args["asset"])
    co0 = vertices(body_obj)
    body = Body(co0, spec)
    eye_co = [vertices(e) for e in eyes]
    # Apply the body's proportions to the mesh itself (eyes scaled the same way).
    scale = body.height / (co0[:, 2].max() - co0[:, 2].min())
    set_vertices(body_obj, body.co)
    for e, c in zip(eyes, eye_co):
        c = c.copy()
        c[:, 0] *= spec["width_scale"]
        c[:, 1] *= spec["depth_scale"]
        c[:, 2] -= co0[:, 2].min()
        set_vertices(e, c * scale)
    rig_obj = rig(body_obj, eyes, body)
    dress(body_obj, body, rng)
    roller, cam = build_scene(spec, rng, body)

    frames = spec["frames"]
    j = body.joints
    H = body.height
    length = {name: float(np.linalg.norm(j[b] - j[a])) for name, a, b in BONES}
    limit = int(args.get("limit", len(frames)))
    fps = spec["fps"]
    truth = []
    origin = None
    exercise = spec.get("exercise", "thoracic_roll")
    if exercise != "thoracic_roll":
        render_other_exercise(spec, exercise, frames[:limit], body, length, rig_obj, roller, cam, out)
        return
    for i, f in enumerate(frames[:limit]):
        theta, R, tz, centre_rel = place_trunk(body, f["fraction"], f["buttock_m"])
        hip_rel = R @ j["pelvis"]
        if origin is None:
            origin = {"tx": -centre_rel[0], "hip": -centre_rel[0] + hip_rel[0]}
        if spec["roller"] == "rolls":
            # The roller centre moves half as far as the body: tx + c = (tx + h - hip0) / 2.
            tx = hip_rel[0] - origin["hip"] - 2 * centre_rel[0]
        else:
            tx = -centre_rel[0]
        t = np.array([tx, 0.0, tz])
        W = lambda p: R @ p + t  # noqa: E731 (trunk rest -> world)
        tf = {"trunk": (R, t), "head": (R, t)}
        hip0 = origin["hip"]
        for side, s in (("L", 1), ("R", -1)):
            hip_w = W(j["hip" + side])
            ankle_w = np.array([hip0 - 0.62 * (length["thigh." + side] + length["shin." + side]) + f["feet_dx"],
                                -j["ankle" + side][0] * 1.15, j["ankle" + side][2] + f.get("feet_lift", 0.0)])
            knee_w = two_link(hip_w, ankle_w, length["thigh." + side], length["shin." + side], np.array([0.0, 0.0, 1.0]))
            tf["thigh." + side] = segment(j["hip" + side], j["knee" + side], R, hip_w, knee_w)
            tf["shin." + side] = segment(j["knee" + side], j["ankle" + side], R, knee_w, ankle_w)
            Rf = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
            tf["foot." + side] = (Rf, ankle_w - Rf @ j["ankle" + side])
            sh_w = W(j["shoulder" + side])
            lu, lf, lh = length["upper_arm." + side], length["forearm." + side], length["hand." + side]
            if f["hands"] == "behind_head":
                d = np.array([s * 0.62, 0.3, 0.72])
                elbow_w = W(j["shoulder" + side] + lu * d / np.linalg.norm(d))
                target = W(body.head_back + np.array([s * 0.03 * H, 0.0, 0.0]))
                wrist_w = elbow_w + lf * (target - elbow_w) / np.linalg.norm(target - elbow_w)
                hand_w = wrist_w + lh * (R @ np.array([-s * 0.9, 0.3, 0.1]))
            else:
                # The `hands` mistake: arms crossed on the chest, the head unsupported.
                target = W(np.array([-s * 0.07 * H, body.chest_front, 0.74 * H]))
                elbow_w = two_link(sh_w, target, lu, lf, R @ np.array([s * 0.6, -0.8, -0.2]))
                wrist_w = target
                hand_w = wrist_w + lh * (R @ np.array([-s * 0.8, -0.2, 0.5]))
            tf["upper_arm." + side] = segment(j["shoulder" + side], j["elbow" + side], R, sh_w, elbow_w)
            tf["forearm." + side] = segment(j["elbow" + side], j["wrist" + side], R, elbow_w, wrist_w)
            tf["hand." + side] = segment(j["wrist" + side], j["hand" + side], R, wrist_w, hand_w)
        pose(rig_obj, tf)
        centre_w = centre_rel + t
        roller.location = (centre_w[0], 0.0, ROLLER_RADIUS)
        roller.rotation_euler = (math.pi / 2, -(centre_w[0]) / ROLLER_RADIUS, 0)
        if i == 0:
            mid_x = 0.5 * (W(j["neck"])[0] + hip0 - 0.5 * (length["thigh.L"] + length["shin.L"]))
            cam_at = (mid_x + spec["camera_shift_m"], spec["camera_side"] * spec["camera_distance_m"], spec["camera_height_m"])
            aim(cam, cam_at, (mid_x, 0.0, 0.18 + 0.3 * spec["camera_height_m"]), spec["camera_roll_deg"])
        # Where the roller's near end disc (seen end-on, facing the camera) is in the picture, so
        # an image cue that finds the roller can be checked: normalized x, y (down) and radius.
        scene = bpy.context.scene
        bpy.context.view_layer.update()  # the camera was just aimed: refresh its matrix first
        near_end = Vector((centre_w[0], spec["camera_side"] * 0.45, ROLLER_RADIUS))
        c = world_to_camera_view(scene, cam, near_end)
        top = world_to_camera_view(scene, cam, near_end + Vector((0.0, 0.0, ROLLER_RADIUS)))
        roller_image = [round(c.x, 5), round(1.0 - c.y, 5), round(abs(top.y - c.y), 5)]
        if i % int(spec.get("render_stride", 1)) == 0:
            bpy.context.scene.render.filepath = os.path.join(out, f"frame_{i:04d}.png")
            bpy.ops.render.render(write_still=True)
        shoulder_mid = 0.5 * (W(j["shoulderL"]) + W(j["shoulderR"]))
        hip_mid = 0.5 * (W(j["hipL"]) + W(j["hipR"]))
        keypoint_angle = math.degrees(math.atan2(shoulder_mid[2] - hip_mid[2], shoulder_mid[0] - hip_mid[0]))
        truth.append({
            "t": round(i / fps, 4),
            "contact_frac_c7_psis": round(f["fraction"], 4),
            "contact_cm_from_c7": round(100 * f["fraction"] * body.c7_psis, 2),
            "level": level_name(f["fraction"]),
            "zone": zone_name(f["fraction"]),
            "trunk_angle_deg": round(math.degrees(theta), 2),
            "shoulder_hip_angle_deg": round(keypoint_angle, 2),
            "buttock_height_cm": round(100 * f["buttock_m"], 2),
            "roller_x_cm": round(100 * centre_w[0], 2),
            "roller_image": roller_image,
            "hip_x_cm": round(100 * hip_mid[0], 2),
            "hands": f["hands"],
            "feet": "moving" if f.get("feet_lift", 0.0) > 0 else "planted",
            "phase": f.get("phase", ""),
        })
    for k in range(len(truth)):
        a, b = truth[max(k - 1, 0)], truth[min(k + 1, len(truth) - 1)]
        dt = b["t"] - a["t"]
        truth[k]["speed_cm_s"] = round(abs(b["contact_cm_from_c7"] - a["contact_cm_from_c7"]) / dt, 2) if dt > 0 else 0.0
    meta = {key: spec[key] for key in spec if key != "frames"}
    meta.update({"body_height_m": round(H, 4), "c7_psis_m": round(body.c7_psis, 4), "roller_diameter_m": 2 * ROLLER_RADIUS,
                 "psis": "9 cm (scaled by height) above the hip-joint line", "renderer": "Blender " + bpy.app.version_string + " " + bpy.context.scene.render.engine})
    with open(os.path.join(out, "truth.json"), "w") as fh:
        json.dump({"meta": meta, "frames": truth}, fh, indent=0)


if __name__ == "__main__":
    main()
